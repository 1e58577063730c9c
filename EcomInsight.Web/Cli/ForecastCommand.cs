using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EcomInsight.Forecasting.Evaluation;
using EcomInsight.Forecasting.Pipeline;

namespace EcomInsight.Web.Cli;

/// <summary>
/// The `forecast` verb: reads a long CSV (series_id,period,y), selects a model per series by rolling-origin backtest,
/// forecasts every series h periods ahead and writes series_id,period,yhat,p10,p90 (p10/p90 = the 80% interval).
/// Point forecasts and bounds are clipped at 0 (sales cannot be negative) unless --allow-negative is given.
/// </summary>
public static class ForecastCommand
{
    /// <summary>Creates the `forecast` command.</summary>
    public static Command Create()
    {
        var shared = new SharedOptions();
        var output = new Option<FileInfo>("--output") { Description = "Forecasts CSV to write (series_id,period,yhat,p10,p90[,loL,hiL]).", Required = true };
        var command = new Command("forecast", "Forecast every series of a long CSV (series_id,period,y) h periods ahead with per-series model selection.");
        shared.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse => SharedOptions.Guard("forecast", () => Run(parse)));
        return command;

        int Run(ParseResult parse)
        {
            var clock = Stopwatch.StartNew();
            var settings = shared.Read(parse);
            var data = LongCsvReader.ReadFile(settings.Input.FullName, settings.Frequency, settings.Gaps);
            var readSeconds = clock.Elapsed.TotalSeconds;
            var selector = settings.Selector(data.Series, outerHoldout: 0);
            var forecasts = ForecastRunner.Run(data.Series, selector, settings.Calibration);
            var fitSeconds = clock.Elapsed.TotalSeconds - readSeconds;
            using (var writer = new StreamWriter(parse.GetValue(output)!.FullName))
            {
                ForecastCsvWriter.Write(writer, data.Series, forecasts, settings.Frequency);
            }

            clock.Stop();
            SharedOptions.PrintData(data, settings);
            Console.WriteLine($"models: {string.Join(",", selector.Models.Select(m => m.Name))}; {settings.Describe()}");
            Console.WriteLine("selection (series won):");
            foreach (var (label, count) in ForecastRunner.CountLabels(forecasts))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-24} {count,7}"));
            }

            Console.WriteLine("members (series in which the model is combined):");
            foreach (var (label, count) in ForecastRunner.CountMembers(forecasts))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-24} {count,7}"));
            }

            SharedOptions.PrintTiming(clock.Elapsed.TotalSeconds, data.Series.Count, $"read {readSeconds:F2} s, select+forecast {fitSeconds:F2} s");
            return 0;
        }
    }
}

/// <summary>Options shared by `forecast` and `backtest`, and the selector they configure.</summary>
internal sealed class SharedOptions
{
    private readonly Option<FileInfo> input = new("--input") { Description = "Long CSV series_id,period,y[,regressors] (.gz allowed).", Required = true };
    private readonly Option<string> frequency = new("--frequency") { Description = "daily or weekly.", Required = true };
    private readonly Option<int> horizon = new("--horizon") { Description = "Periods to forecast (h).", Required = true };
    private readonly Option<int?> season = new("--season") { Description = "Season length m (default 7 for daily, 1 for weekly)." };
    private readonly Option<string> models = new("--models") { Description = "auto or a comma-separated list (naive,snaive,mean,ma,maK,…).", DefaultValueFactory = _ => "auto" };
    private readonly Option<string> levels = new("--levels") { Description = "Interval levels in percent; 80 is always included (p10/p90).", DefaultValueFactory = _ => "80,95" };
    private readonly Option<string> gaps = new("--gaps") { Description = "zero: absent periods sold 0 (series run to the file's last period); missing: absent periods are unknown and interpolated.", DefaultValueFactory = _ => "zero" };
    private readonly Option<int> selectOrigins = new("--select-origins") { Description = "Backtest origins per series for model selection.", DefaultValueFactory = _ => 4 };
    private readonly Option<int?> selectStep = new("--select-step") { Description = "Periods between selection origins (default: the season length, so every origin starts at the same season position)." };
    private readonly Option<int> window = new("--window") { Description = "Sliding training window in periods for the selection backtests (the final fit uses all history); 0 = expanding.", DefaultValueFactory = _ => 0 };
    private readonly Option<string> strategy = new("--strategy") { Description = "median (of the k best by backtest), weighted (inverse-error, k best), best (single or ensemble, whichever backtests best) or single.", DefaultValueFactory = _ => "median" };
    private readonly Option<string> score = new("--score") { Description = "Selection error: mae, vn1 or rmse.", DefaultValueFactory = _ => "mae" };
    private readonly Option<string> anchor = new("--anchor") { Description = "Model always combined in the ensembles (with the best k-1 others) when it is a candidate; none to rank all alike.", DefaultValueFactory = _ => "global" };
    private readonly Option<int> ensemble = new("--ensemble") { Description = "k, the number of best models the ensembles combine.", DefaultValueFactory = _ => 3 };
    private readonly Option<string> intervals = new("--intervals") { Description = "analytic (each model's own, conformal for models without; ensembles average the bounds) or conformal (from the winner's backtest residuals).", DefaultValueFactory = _ => "analytic" };
    private readonly Option<string> calibrate = new("--calibrate") { Description = "Cross-series calibration from all series' backtests: none, intervals (pooled, locally scaled conformal intervals per step) or bias (also a per-step level factor).", DefaultValueFactory = _ => "intervals" };
    private readonly Option<bool> allowNegative = new("--allow-negative") { Description = "Do not clip forecasts at 0 (for quantities that can be negative)." };
    private readonly Option<bool> keepLeadingZeros = new("--keep-leading-zeros") { Description = "Fit from the first period instead of the first non-zero value." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { input, frequency, horizon, season, models, levels, gaps, selectOrigins, selectStep, window, strategy, score, ensemble, anchor, intervals, calibrate, allowNegative, keepLeadingZeros })
        {
            command.Options.Add(option);
        }
    }

    public Settings Read(ParseResult parse)
    {
        var freq = FrequencyExtensions.Parse(parse.GetValue(frequency)!);
        var levelList = new SortedSet<double> { 80 };
        foreach (var part in parse.GetValue(levels)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            levelList.Add(double.Parse(part, CultureInfo.InvariantCulture));
        }

        return new Settings
        {
            Input = parse.GetValue(input)!,
            Frequency = freq,
            Horizon = parse.GetValue(horizon),
            Season = parse.GetValue(season) ?? freq.DefaultSeasonLength(),
            Models = parse.GetValue(models)!,
            Levels = [.. levelList],
            Gaps = parse.GetValue(gaps)!.Trim().ToUpperInvariant() switch
            {
                "ZERO" => GapPolicy.Zero,
                "MISSING" => GapPolicy.Missing,
                var other => throw new FormatException($"Unknown --gaps '{other}'; use zero or missing."),
            },
            SelectOrigins = parse.GetValue(selectOrigins),
            SelectStep = parse.GetValue(selectStep) ?? (parse.GetValue(season) ?? freq.DefaultSeasonLength()),
            Window = parse.GetValue(window),
            Strategy = ParseStrategy(parse.GetValue(strategy)!),
            Score = parse.GetValue(score)!.Trim().ToUpperInvariant() switch
            {
                "MAE" => SelectionScore.Mae,
                "VN1" => SelectionScore.Vn1,
                "RMSE" => SelectionScore.Rmse,
                var other => throw new FormatException($"Unknown --score '{other}'; use mae, vn1 or rmse."),
            },
            Ensemble = parse.GetValue(ensemble),
            Anchor = parse.GetValue(anchor)!.Trim() is var a && (a.Length == 0 || a.Equals("none", StringComparison.OrdinalIgnoreCase)) ? null : a,
            Intervals = parse.GetValue(intervals)!.Trim().ToUpperInvariant() switch
            {
                "CONFORMAL" => IntervalMethod.Conformal,
                "ANALYTIC" => IntervalMethod.AnalyticWhereAvailable,
                var other => throw new FormatException($"Unknown --intervals '{other}'; use conformal or analytic."),
            },
            Calibration = parse.GetValue(calibrate)!.Trim().ToUpperInvariant() switch
            {
                "NONE" => GlobalCalibrationMode.None,
                "INTERVALS" => GlobalCalibrationMode.Intervals,
                "BIAS" => GlobalCalibrationMode.BiasAndIntervals,
                var other => throw new FormatException($"Unknown --calibrate '{other}'; use none, intervals or bias."),
            },
            ClipAtZero = !parse.GetValue(allowNegative),
            TrimLeadingZeros = !parse.GetValue(keepLeadingZeros),
        };
    }

    /// <summary>Runs a verb, turning bad input (unreadable file, malformed CSV, unknown option value) into a one-line
    /// message on stderr and exit code 2 instead of a stack trace.</summary>
    public static int Guard(string verb, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{verb}: {e.Message}");
            return 2;
        }
    }

    public static SelectionStrategy ParseStrategy(string text) => text.Trim().ToUpperInvariant() switch
    {
        "BEST" => SelectionStrategy.Best,
        "SINGLE" => SelectionStrategy.BestSingle,
        "MEDIAN" => SelectionStrategy.MedianOfBest,
        "WEIGHTED" => SelectionStrategy.WeightedOfBest,
        _ => throw new FormatException($"Unknown --strategy '{text}'; use best, single, median or weighted."),
    };

    public static void PrintData(LongCsvData data, Settings settings)
    {
        var points = 0L;
        foreach (var s in data.Series)
        {
            points += s.Values.Length;
        }

        Console.WriteLine($"input: {data.Series.Count} series, {data.Rows} rows, {points} periods ({settings.Frequency}, gaps {settings.Gaps}: {data.FilledPeriods} filled)"
            + (data.Regressors.Count > 0 ? $"; regressor columns ignored: {string.Join(",", data.Regressors)}" : string.Empty));
    }

    public static void PrintTiming(double seconds, int series, string detail)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wall {seconds:F2} s ({detail}); {series / Math.Max(seconds, 1e-9):F0} series/s; {Environment.ProcessorCount} cores; peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MiB"));
    }
}

/// <summary>Parsed values of <see cref="SharedOptions"/>.</summary>
internal sealed class Settings
{
    public required FileInfo Input { get; init; }

    public required Frequency Frequency { get; init; }

    public required int Horizon { get; init; }

    public required int Season { get; init; }

    public required string Models { get; init; }

    public required double[] Levels { get; init; }

    public required GapPolicy Gaps { get; init; }

    public required int SelectOrigins { get; init; }

    public required int SelectStep { get; init; }

    public required int Window { get; init; }

    public required SelectionStrategy Strategy { get; init; }

    public required SelectionScore Score { get; init; }

    public required int Ensemble { get; init; }

    public required string? Anchor { get; init; }

    public required IntervalMethod Intervals { get; init; }

    public required GlobalCalibrationMode Calibration { get; init; }

    public required bool ClipAtZero { get; init; }

    public required bool TrimLeadingZeros { get; init; }

    public SelectionOptions SelectionOptions(SelectionStrategy strategy) => new()
    {
        Backtest = new RollingOriginOptions
        {
            Horizon = Horizon,
            Origins = SelectOrigins,
            Step = SelectStep,
            Window = Window > 0 ? WindowKind.Sliding : WindowKind.Expanding,
            WindowLength = Window > 0 ? Window : 52,
        },
        Score = Score,
        Strategy = strategy,
        EnsembleSize = Ensemble,
        Anchor = Anchor,
        Levels = Levels,
        Intervals = Intervals,
        ClipAtZero = ClipAtZero,
        TrimLeadingZeros = TrimLeadingZeros,
    };

    /// <summary>The candidate models; <c>global</c> is trained on <paramref name="series"/> without the last
    /// periods that any backtest origin forecasts (the selection's, plus <paramref name="outerHoldout"/> for an outer evaluation).</summary>
    public IReadOnlyList<EcomInsight.Forecasting.Models.IForecastModel> ResolveModels(IReadOnlyList<TimeSeriesData> series, int outerHoldout) =>
        ModelCatalog.Resolve(Models, Season, () => ModelCatalog.TrainGlobal(series, Season, Horizon, outerHoldout + Horizon + ((SelectOrigins - 1) * SelectStep)));

    public ModelSelector Selector(IReadOnlyList<TimeSeriesData> series, int outerHoldout) => new(ResolveModels(series, outerHoldout), SelectionOptions(Strategy));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"h={Horizon} m={Season} selection: {Strategy} by {Score} over {SelectOrigins} origins step {SelectStep} ({(Window > 0 ? $"sliding window {Window}" : "expanding window")}), ensemble k={Ensemble}{(Anchor is null ? string.Empty : $" (anchor {Anchor} when a candidate)")}, intervals {Intervals}, calibration {Calibration}, clip at 0: {ClipAtZero}, from first non-zero: {TrimLeadingZeros}");
}
