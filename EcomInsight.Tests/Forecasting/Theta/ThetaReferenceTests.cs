using EcomInsight.Forecasting.Models;
using EcomInsight.Tests.Forecasting.ExponentialSmoothing;
using Xunit.Abstractions;

namespace EcomInsight.Tests.Forecasting.Theta;

/// <summary>
/// Compares <see cref="EcomInsight.Forecasting.Models.Theta"/> with R's forecast::thetaf (fixtures theta_fits.csv,
/// theta_forecasts.csv from Forecasting/Reference/ets_reference.R): α and drift within 1e-3 relative (0.002 absolute
/// for α), forecast means within 0.5% of the case's largest |mean|, 80/95% bounds likewise.
/// </summary>
[Trait("Category", "Reference")]
public class ThetaReferenceTests(ITestOutputHelper output)
{
    [Fact]
    public void ThetaForecastsMatchRThetaf()
    {
        var forecasts = EtsReferenceData.ReadCsv("theta_forecasts.csv").GroupBy(r => r["case"]).ToDictionary(g => g.Key, g => g.ToList());
        var failures = new List<string>();
        var compared = 0;
        var worst = 0.0;
        foreach (var row in EtsReferenceData.ReadCsv("theta_fits.csv"))
        {
            var series = EtsReferenceData.Series(row["case"]);
            if (series is null)
            {
                output.WriteLine($"SKIPPED {row["case"]}: ../shared/eval data not found beside the repository.");
                continue;
            }

            var (m, y) = series.Value;
            var fit = (ThetaFit)new EcomInsight.Forecasting.Models.Theta(m).Fit(y);
            compared++;
            var alphaR = EtsReferenceData.Number(row, "alpha")!.Value;
            var driftR = EtsReferenceData.Number(row, "drift")!.Value;
            if (Math.Abs(fit.Alpha - alphaR) > 0.002)
            {
                failures.Add($"{row["case"]}: alpha {fit.Alpha} vs R {alphaR}");
            }

            if (Math.Abs(fit.Drift - driftR) > 1e-3 * Math.Abs(driftR) + 1e-9)
            {
                failures.Add($"{row["case"]}: drift {fit.Drift} vs R {driftR}");
            }

            var reference = forecasts[row["case"]];
            var result = fit.Predict(reference.Count, [80, 95]);
            var scale = reference.Max(r => Math.Abs(EtsReferenceData.Number(r, "hi95")!.Value));
            for (var h = 0; h < reference.Count; h++)
            {
                foreach (var (column, ours) in new[]
                {
                    ("mean", result.Mean[h]), ("lo80", result.Interval(80)!.Lower[h]), ("hi80", result.Interval(80)!.Upper[h]),
                    ("lo95", result.Interval(95)!.Lower[h]), ("hi95", result.Interval(95)!.Upper[h]),
                })
                {
                    var r = EtsReferenceData.Number(reference[h], column)!.Value;
                    var dev = Math.Abs(ours - r) / scale;
                    worst = Math.Max(worst, dev);
                    if (dev > 0.005)
                    {
                        failures.Add($"{row["case"]} h={h + 1} {column}: {ours} vs R {r}");
                    }
                }
            }
        }

        output.WriteLine($"{compared} series compared with thetaf; largest deviation {worst:P3} of the forecast scale.");
        Assert.Empty(failures);
    }

    /// <summary>Every retail-weekly (m = 1, h = 8) and retail-daily (m = 7, h = 28) series against thetaf
    /// (theta_all.R): first and last forecast means within 0.5% of the larger of |R's mean| and 1 unit.</summary>
    [Fact]
    public void ThetaMatchesRThetafOnEverySku()
    {
        if (!EtsReferenceData.SharedDataAvailable)
        {
            output.WriteLine("SKIPPED: ../shared/eval/retail-{weekly,daily}/train.csv.gz not found beside the repository.");
            return;
        }

        var failures = new List<string>();
        var worst = 0.0;
        var rows = EtsReferenceData.ReadCsv("theta_all.csv");
        foreach (var row in rows)
        {
            var (m, h) = row["protocol"] == "retail-weekly" ? (1, 8) : (7, 28);
            var y = EtsReferenceData.ProtocolSeries(row["protocol"], row["series_id"])!;
            var mean = new EcomInsight.Forecasting.Models.Theta(m).Fit(y).Predict(h).Mean;
            foreach (var (i, column) in new[] { (0, "mean1"), (h - 1, "meanh") })
            {
                var r = EtsReferenceData.Number(row, column)!.Value;
                var dev = Math.Abs(mean[i] - r) / Math.Max(Math.Abs(r), 1);
                worst = Math.Max(worst, dev);
                if (dev > 0.005)
                {
                    failures.Add($"{row["protocol"]}/{row["series_id"]} h={i + 1}: {mean[i]} vs R {r}");
                }
            }
        }

        output.WriteLine($"{rows.Count} SKU series compared with thetaf; largest deviation {worst:P4}; {failures.Count} beyond 0.5%.");
        Assert.Empty(failures);
    }
}
