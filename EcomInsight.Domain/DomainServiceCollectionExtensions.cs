using EcomInsight.Domain.Data;
using EcomInsight.Domain.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EcomInsight.Domain;

/// <summary>Registers the domain's services: database options, the Npgsql data source, the DbContext, the migrator.</summary>
public static class DomainServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DatabaseOptions"/> (validated at start: a missing connection string fails with a message
    /// saying what to set), a singleton <see cref="NpgsqlDataSource"/>, <see cref="EcomInsightDbContext"/> (pooled
    /// <see cref="IDbContextFactory{TContext}"/> plus a scoped instance), the <see cref="Migrator"/> and a start-up
    /// check that migrates (or verifies) the schema before the host serves.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Configuration holding <c>ConnectionStrings:EcomInsight</c> and the <c>Database</c> section.</param>
    public static IServiceCollection AddEcomInsightDomain(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .Configure(options => options.ConnectionString =
                ResolveConnectionString(configuration, options.ConnectionString, options.UseLocalCluster))
            .Validate(options => !string.IsNullOrWhiteSpace(options.ConnectionString), DatabaseOptions.MissingConnectionStringMessage)
            .ValidateOnStart();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.UseLoggerFactory(provider.GetService<ILoggerFactory>());
            return builder.Build();
        });
        // Pooled factory for jobs and singletons (one short-lived context per unit of work); a scoped context
        // for requests, taken from the same pool.
        services.AddPooledDbContextFactory<EcomInsightDbContext>((provider, options) =>
            options.UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddScoped(provider =>
            provider.GetRequiredService<IDbContextFactory<EcomInsightDbContext>>().CreateDbContext());
        services.AddSingleton(provider => new Migrator(
            provider.GetRequiredService<NpgsqlDataSource>(), migrations: null, provider.GetService<ILogger<Migrator>>()));
        services.AddHostedService<MigrationStartupCheck>();
        return services;
    }

    /// <summary>
    /// <c>ConnectionStrings:EcomInsight</c> when set; else <c>Database:ConnectionString</c>; else the local
    /// cluster's connection string when <c>EcomInsight.Web db start</c> has created one; else null.
    /// </summary>
    /// <param name="configuration">Application configuration.</param>
    /// <param name="fallback">Value bound from the <c>Database</c> section, if any.</param>
    /// <param name="useLocalCluster">Whether the local cluster may supply the connection string.</param>
    public static string? ResolveConnectionString(IConfiguration configuration, string? fallback = null, bool useLocalCluster = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        if (!string.IsNullOrWhiteSpace(fallback))
        {
            return fallback;
        }
        if (!useLocalCluster)
        {
            return null;
        }
        var root = RepositoryRoot.TryLocate();
        return root is null ? null : new LocalCluster(root).TryGetConnectionString();
    }
}
