using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The `migrate` verb.</summary>
public static class MigrateCommand
{
    /// <summary>Creates the `migrate` command.</summary>
    public static Command Create()
    {
        var command = new Command("migrate", "TODO: not yet implemented.");
        command.SetAction(_ => { Console.Error.WriteLine("migrate: not yet implemented."); return 2; });
        return command;
    }
}
