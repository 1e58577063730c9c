using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The `forecast` verb.</summary>
public static class ForecastCommand
{
    /// <summary>Creates the `forecast` command.</summary>
    public static Command Create()
    {
        var command = new Command("forecast", "TODO: not yet implemented.");
        command.SetAction(_ => { Console.Error.WriteLine("forecast: not yet implemented."); return 2; });
        return command;
    }
}
