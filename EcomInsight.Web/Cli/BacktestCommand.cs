using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The `backtest` verb.</summary>
public static class BacktestCommand
{
    /// <summary>Creates the `backtest` command.</summary>
    public static Command Create()
    {
        var command = new Command("backtest", "TODO: not yet implemented.");
        command.SetAction(_ => { Console.Error.WriteLine("backtest: not yet implemented."); return 2; });
        return command;
    }
}
