namespace EcomInsight.Web;

/// <summary>Builds the ASP.NET Core application (kept out of Program.cs so tests and the CLI share it).</summary>
public static class WebApp
{
    /// <summary>Creates the configured web application.</summary>
    /// <param name="args">ASP.NET Core command-line configuration (e.g. <c>--urls</c>).</param>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Text("ok"));
        return app;
    }
}
