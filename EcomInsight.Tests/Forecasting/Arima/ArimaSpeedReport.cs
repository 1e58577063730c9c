using System.Diagnostics;
using EcomInsight.Forecasting.Models;
using Xunit.Abstractions;

namespace EcomInsight.Tests.Forecasting.Arima;

/// <summary>Prints auto.arima fit times on the real eval series (a benchmark, not a timed assertion).</summary>
[Trait("Category", "Reference")]
public sealed class ArimaSpeedReport(ITestOutputHelper output)
{
    [Fact]
    public void ReportsAutoArimaTimePerSeriesOnRealData()
    {
        var weekly = ArimaFixtures.WeeklySeries();
        var daily = ArimaFixtures.DailySeries();
        if (weekly is null || daily is null)
        {
            output.WriteLine("skipped: ../shared/eval is absent");
            return;
        }

        var count = int.TryParse(Environment.GetEnvironmentVariable("ARIMA_BENCH_N"), out var c) ? c : 10;
        Report("weekly n=44 m=1", weekly.Values.Take(count * 4).ToList(), 1);
        Report("daily n=345 m=7", daily.Values.Take(count).ToList(), 7);
    }

#if DEBUG
    private const string Configuration = " [Debug build: use -c Release for representative figures]";
#else
    private const string Configuration = " [Release]";
#endif

    private void Report(string label, List<double[]> series, int m)
    {
        var model = new AutoArima(m);

        // Warm the JIT (tiered compilation) so that the figures are steady-state fit times.
        foreach (var y in series.Take(10))
        {
            model.Fit(y);
        }

        var orders = new Dictionary<string, int>();
        var times = new List<double>();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        foreach (var y in series)
        {
            var t0 = sw.Elapsed.TotalMilliseconds;
            var fit = model.Fit(y);
            times.Add(sw.Elapsed.TotalMilliseconds - t0);
            var forecast = fit.Predict(28, [80]);
            Assert.All(forecast.Mean, v => Assert.True(double.IsFinite(v)));
            orders[fit.Description] = orders.GetValueOrDefault(fit.Description) + 1;
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / series.Count;
        times.Sort();
        output.WriteLine($"{label}: {series.Count} series, mean {times.Average():F2} ms, median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, max {times[^1]:F1} ms wall per auto.arima fit; {cpu:F2} ms CPU per fit{Configuration} (machine load inflates wall time)");
        foreach (var (o, k) in orders.OrderByDescending(kv => kv.Value).Take(8))
        {
            output.WriteLine($"  {k,4} × {o}");
        }
    }
}
