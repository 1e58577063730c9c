using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The <c>serve</c> verb: runs the web application (Kestrel). Extra arguments such as
/// <c>--urls http://127.0.0.1:5080</c> are passed to ASP.NET Core configuration.</summary>
public static class ServeCommand
{
    /// <summary>Creates the <c>serve</c> command.</summary>
    public static Command Create()
    {
        var command = new Command("serve", "Serve the web application. ASP.NET Core options (e.g. --urls) pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var app = WebApp.Build([.. parse.UnmatchedTokens]);
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
