using EcomInsight.Domain.Database;
using Microsoft.Extensions.Configuration;

namespace EcomInsight.Domain.Import;

/// <summary>
/// Connection string for the import verbs, resolved like the web app's: an explicit one, else
/// <c>ConnectionStrings:EcomInsight</c> from <c>appsettings.json</c> beside the executable or the
/// environment (<c>ConnectionStrings__EcomInsight</c>), else the local cluster of <c>EcomInsight.Web db start</c>.
/// </summary>
public static class ImportDatabase
{
    /// <summary>Resolves the connection string as described on the type.</summary>
    /// <exception cref="InvalidOperationException">Nothing configured and no local cluster (message says what to set).</exception>
    public static string ResolveConnectionString(string? explicitConnection)
    {
        if (!string.IsNullOrWhiteSpace(explicitConnection))
        {
            return explicitConnection;
        }
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return DomainServiceCollectionExtensions.ResolveConnectionString(configuration)
            ?? throw new InvalidOperationException(DatabaseOptions.MissingConnectionStringMessage);
    }
}
