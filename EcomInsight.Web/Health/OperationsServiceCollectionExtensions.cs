using Microsoft.AspNetCore.DataProtection;

namespace EcomInsight.Web.Health;

/// <summary>Registers what operating the app needs: health checks, request logging and shared data-protection keys.</summary>
public static class OperationsServiceCollectionExtensions
{
    /// <summary>Configuration key of the folder that holds the data-protection key ring.</summary>
    public const string KeysDirectoryKey = "DataProtection:KeysDirectory";

    /// <summary>
    /// Adds <see cref="HealthEndpoints.AddEcomInsightHealth"/>, <see cref="RequestLogging.AddEcomInsightRequestLogging"/>
    /// and data protection under the application name <c>EcomInsight</c>. When <c>DataProtection:KeysDirectory</c> is
    /// set, the key ring (which signs sign-in cookies and antiforgery tokens) is kept in that folder, so that several
    /// instances behind one proxy, and restarts, accept each other's cookies; the keys are plain XML there, so the
    /// folder must be private to the app. Unset (the default), keys live in the user profile of one machine.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Application configuration.</param>
    public static IServiceCollection AddEcomInsightOperations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddEcomInsightHealth();
        services.AddEcomInsightRequestLogging();
        var dataProtection = services.AddDataProtection().SetApplicationName("EcomInsight");
        if (configuration[KeysDirectoryKey] is { Length: > 0 } directory)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(directory));
        }
        return services;
    }
}
