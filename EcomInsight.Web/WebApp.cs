using EcomInsight.Domain;
using EcomInsight.Forecasting.Replenishment;
using EcomInsight.Web.Api;
using EcomInsight.Forecasting.Warnings;
using EcomInsight.Web.Components;
using EcomInsight.Web.Digests;
using EcomInsight.Web.Features;
using EcomInsight.Web.Security;
using EcomInsight.Web.Jobs;
using EcomInsight.Web.Features.Plans;
using EcomInsight.Web.Health;
using EcomInsight.Web.Warnings;

namespace EcomInsight.Web;

/// <summary>Builds the ASP.NET Core application (kept out of Program.cs so tests and the CLI share it).</summary>
public static class WebApp
{
    /// <summary>Creates the configured web application.</summary>
    /// <param name="args">ASP.NET Core command-line configuration (e.g. <c>--urls</c>).</param>
    /// <param name="configure">Last say over the builder before it builds (tests: TestServer, connection string).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = the binary's folder, so appsettings.json and wwwroot are found whatever the
        // current directory (scripts run the published app from the repository root).
        // The application name is this assembly's even under a test host, so static web assets resolve.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(WebApp).Assembly.GetName().Name,
        });
        // Serve wwwroot from the project folder when run from the build output (dotnet run, tests);
        // a published app carries its own wwwroot and this is a no-op.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents();
        builder.Services.AddEcomInsightDomain(builder.Configuration);
        builder.Services.AddEcomInsightWeb();
        builder.Services.AddEcomInsightIdentity();
        builder.Services.AddInventory();
        builder.Services.AddDigests();
        builder.Services.AddEcomInsightWorkflow();
        builder.Services.AddEcomInsightApi();
        builder.Services.AddEcomInsightWarnings();
        builder.Services.AddEcomInsightOperations(builder.Configuration);
        configure?.Invoke(builder);
        // After configure: reads Scheduler:Enabled (and the schedules) at registration, which tests set there.
        builder.Services.AddEcomInsightJobs(builder.Configuration);

        var app = builder.Build();
        // Unhandled exceptions: the /error page (correlation id, no stack trace); the detail goes to the log.
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseHttpLogging();
        // Static SSR: unknown URLs and NavigationManager.NotFound() render the NotFound page with status 404.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseStaticFiles();
        // After static files (served to anyone), before antiforgery; every endpoint needs sign-in unless it says
        // [AllowAnonymous] (the fallback policy).
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapEcomInsightIdentity();
        app.MapEcomInsightWorkflow();
        app.MapEcomInsightApi();
        app.MapEcomInsightHealth();
        app.MapSalesIngest();
        app.MapRazorComponents<App>();
        return app;
    }
}
