using System.CommandLine;

namespace EcomInsight.Web.Cli;

/// <summary>The root command: every verb of the EcomInsight.Web executable.</summary>
public static class EcomInsightCommandLine
{
    /// <summary>Builds the root command with all verbs registered.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("EcomInsight: demand forecasting, inventory analytics and replenishment planning.")
        {
            ServeCommand.Create(),
            DbCommand.Create(),
            MigrateCommand.Create(),
            ImportCommand.Create(),
            CategorizeCommand.Create(),
            BenchImportCommand.Create(),
            BenchWebCommand.Create(),
            ForecastCommand.Create(),
            BacktestCommand.Create(),
            UserCommand.Create(),
            InventoryCommand.Create(),
        };
        foreach (var command in PipelineCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(EvalReconciliationCommand.Create());

        return root;
    }
}
