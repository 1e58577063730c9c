using System.CommandLine;
using System.Globalization;
using EcomInsight.Domain.Catalog;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The <c>categorize</c> verb: re-applies the category rules to every product (after an edit of
/// the rules file) and prints each category's share of revenue.
/// </summary>
public static class CategorizeCommand
{
    /// <summary>Creates the <c>categorize</c> command.</summary>
    public static Command Create()
    {
        var rules = ImportCommand.RulesOption();
        var connection = ImportCommand.ConnectionOption();
        var command = new Command("categorize", "Re-derive every product's category from its description with the rules file.")
        {
            rules, connection,
        };
        command.SetAction(parse =>
        {
            CategoryRules loaded;
            try
            {
                loaded = ImportCommand.LoadRules(parse.GetValue(rules));
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                Console.Error.WriteLine($"categorize: {e.Message}");
                return 2;
            }
            using var dataSource = ImportCommand.OpenDataSource(parse.GetValue(connection));
            var changed = CategoryStore.Recategorize(dataSource, loaded);
            var revenue = CategoryStore.RevenueByCategory(dataSource);
            var total = revenue.Values.Sum();
            revenue.TryGetValue(CategoryRules.OtherCategory, out var other);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"categorize: {changed:N0} products changed category; revenue in a named category: {(total == 0 ? 0 : (total - other) / total):P1}"));
            ImportCommand.PrintCategories(revenue, Console.Out);
            return 0;
        });
        return command;
    }
}
