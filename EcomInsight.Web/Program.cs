using EcomInsight.Web.Cli;

// One executable: `serve` runs the site; the other verbs (migrate, import, forecast, backtest...) are
// the operator's and the scheduler's entry points. `--help` lists them.
return await EcomInsightCommandLine.Build().Parse(args).InvokeAsync();
