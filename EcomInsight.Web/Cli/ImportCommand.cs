using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The `import` verb.</summary>
public static class ImportCommand
{
    /// <summary>Creates the `import` command.</summary>
    public static Command Create()
    {
        var command = new Command("import", "TODO: not yet implemented.");
        command.SetAction(_ => { Console.Error.WriteLine("import: not yet implemented."); return 2; });
        return command;
    }
}
