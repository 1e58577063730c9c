using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EcomInsight.Forecasting.Models;
using Xunit.Abstractions;

namespace EcomInsight.Tests.Forecasting.ExponentialSmoothing;

/// <summary>
/// Prints fit+predict times of the exponential smoothing models on every retail-weekly (2,758 × 44) and retail-daily
/// (500 × 345, m = 7) training series, single-threaded: wall time and the thread's CPU time (the latter is the figure
/// to quote on a shared machine). A benchmark that prints figures, not a timed assertion; it only checks that every
/// forecast is finite. Skipped (with a message) when ../shared/eval is absent.
/// </summary>
[Trait("Category", "Reference")]
public class EtsSpeedTests(ITestOutputHelper output)
{
    [Fact]
    public void PrintsFitTimesOnTheRetailSeries()
    {
        if (!EtsReferenceData.SharedDataAvailable)
        {
            output.WriteLine("SKIPPED: ../shared/eval/retail-{weekly,daily}/train.csv.gz not found beside the repository.");
            return;
        }

        foreach (var (protocol, m, h) in new[] { ("retail-weekly", 1, 8), ("retail-daily", 7, 28) })
        {
            var all = EtsReferenceData.AllSeries(protocol);
            IForecastModel[] models =
            [
                new Ets(m), new Ets(m) { RelativeTolerance = 1e-6 }, new Ses(), new Holt(), new Holt(damped: true),
                new EcomInsight.Forecasting.Models.Theta(m),
            ];

            // Warm the JIT so the first model is not charged for compilation.
            foreach (var model in models)
            {
                model.Fit(all[0]).Predict(h, [80]);
            }

            foreach (var model in models)
            {
                var classes = new Dictionary<string, int>();
                var wall = Stopwatch.StartNew();
                var cpu0 = ThreadCpuMilliseconds();
                foreach (var y in all)
                {
                    var fit = model.Fit(y);
                    var result = fit.Predict(h, [80]);
                    Assert.True(double.IsFinite(result.Mean[^1]));
                    classes[fit.Description] = classes.GetValueOrDefault(fit.Description) + 1;
                }

                var cpu = ThreadCpuMilliseconds() - cpu0;
                var label = model is Ets { RelativeTolerance: > 1e-7 } ? "ets(reltol=1e-6)" : model.Name;
                var top = string.Join(", ", classes.OrderByDescending(kv => kv.Value).Take(6).Select(kv => $"{kv.Key} {kv.Value}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{protocol} (n={all[0].Length}) {label,-17} {all.Count} series: {cpu / all.Count:F3} ms CPU, {wall.Elapsed.TotalMilliseconds / all.Count:F3} ms wall per fit+predict; {top}"));
            }
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID); falls back to process time off Linux.</summary>
    private static double ThreadCpuMilliseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(3, out var ts) == 0)
        {
            return (ts.Seconds * 1e3) + (ts.Nanoseconds / 1e6);
        }

        return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
