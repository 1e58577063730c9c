using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The `db` verb.</summary>
public static class DbCommand
{
    /// <summary>Creates the `db` command.</summary>
    public static Command Create()
    {
        var command = new Command("db", "TODO: not yet implemented.");
        command.SetAction(_ => { Console.Error.WriteLine("db: not yet implemented."); return 2; });
        return command;
    }
}
