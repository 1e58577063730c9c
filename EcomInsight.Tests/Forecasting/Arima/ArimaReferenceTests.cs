using EcomInsight.Forecasting.Models;
using Xunit.Abstractions;

namespace EcomInsight.Tests.Forecasting.Arima;

[Trait("Category", "Reference")]
public sealed class ArimaReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> FixedCases() => [.. ArimaFixtures.ArimaCases.Keys.Where(k => k.StartsWith("fixed_", StringComparison.Ordinal))];

    public static TheoryData<string> AutoCases() => [.. ArimaFixtures.ArimaCases.Keys.Where(k => k.StartsWith("auto_", StringComparison.Ordinal))];

    private static ArimaOrder OrderOf(Dictionary<string, double[]> c)
    {
        var o = c["order"];
        return o.Length == 3
            ? new ArimaOrder((int)o[0], (int)o[1], (int)o[2])
            : new ArimaOrder((int)o[0], (int)o[1], (int)o[2], (int)o[3], (int)o[4], (int)o[5], (int)o[6]);
    }

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void FixedOrderCoefficientsAndForecastsMatchR(string name)
    {
        var c = ArimaFixtures.ArimaCases[name];
        var order = OrderOf(c);
        var model = new EcomInsight.Forecasting.Models.Arima(order, includeConstant: c["include_constant"][0] == 1);
        var fit = (ArimaModel)model.Fit(c["y"]);
        var rCoef = c["coef"];
        output.WriteLine($"{name}: ours [{string.Join(", ", fit.Coefficients.Select(v => v.ToString("G6")))}] R [{string.Join(", ", rCoef.Select(v => v.ToString("G6")))}]");
        output.WriteLine($"loglik ours {fit.LogLikelihood:G8} R {c["loglik"][0]:G8}; sigma2 ours {fit.Sigma2:G6} R {c["sigma2"][0]:G6}");
        Assert.Equal(rCoef.Length, fit.Coefficients.Count);
        for (var i = 0; i < rCoef.Length; i++)
        {
            // 1e-2 relative, with an absolute floor for coefficients near zero.
            Assert.InRange(fit.Coefficients[i], rCoef[i] - (1e-2 * Math.Abs(rCoef[i])) - 2e-3, rCoef[i] + (1e-2 * Math.Abs(rCoef[i])) + 2e-3);
        }

        Assert.Equal(c["loglik"][0], fit.LogLikelihood, 0.01 * Math.Abs(c["loglik"][0]) * 1e-2 + 0.02);
        Assert.Equal(c["sigma2"][0], fit.Sigma2, 0.02 * c["sigma2"][0]);
        AssertForecastClose(c, fit, 0.01);
    }

    [Theory]
    [MemberData(nameof(AutoCases))]
    public void AutoArimaChoosesROrderOnClassicSeries(string name)
    {
        var c = ArimaFixtures.ArimaCases[name];
        var m = (int)c["m"][0];
        var fit = new AutoArima(m).Fit(c["y"]);
        output.WriteLine($"{name}: ours {fit.Description} R {OrderOf(c)} constant {c["constant"][0]}; aicc ours {fit.Aicc:G8} R {c["aicc"][0]:G8}");
        Assert.Equal(OrderOf(c), fit.Order);
        Assert.Equal(c["constant"][0] == 1, fit.HasConstant);
        AssertForecastClose(c, fit, 0.02);
    }

    [Fact]
    public void AutoArimaAgreesWithROnMostRealWeeklySkus()
    {
        var series = ArimaFixtures.WeeklySeries();
        if (series is null)
        {
            output.WriteLine("skipped: ../shared/eval/retail-weekly/train.csv.gz is absent");
            return;
        }

        var agree = 0;
        var total = 0;
        foreach (var (name, c) in ArimaFixtures.ArimaCases.Where(kv => kv.Key.StartsWith("sku_", StringComparison.Ordinal)))
        {
            var y = series[name[4..]];
            var fit = new AutoArima(1).Fit(y);
            var same = fit.Order == OrderOf(c) && fit.HasConstant == (c["constant"][0] == 1);
            total++;
            agree += same ? 1 : 0;
            var meanErr = fit.Predict(8).Mean.Zip(c["mean"]).Max(t => Math.Abs(t.First - t.Second) / Math.Max(1, Math.Abs(t.Second)));
            output.WriteLine($"{name}: ours {fit.Description} (aicc {fit.Aicc:F3}) R {OrderOf(c)} c={c["constant"][0]} (aicc {c["aicc"][0]:F3}) {(same ? "same" : "DIFF")} max rel mean err {meanErr:P2}");
        }

        output.WriteLine($"agreement {agree}/{total}");
        Assert.Equal(20, total);
        Assert.True(agree >= 16, $"only {agree} of {total} SKU orders agree with R");
    }

    [Fact]
    public void AutoArimaAgreesWithROnMostRealDailySkus()
    {
        var series = ArimaFixtures.DailySeries();
        if (series is null)
        {
            output.WriteLine("skipped: ../shared/eval/retail-daily/train.csv.gz is absent");
            return;
        }

        var agree = 0;
        var total = 0;
        foreach (var (name, c) in ArimaFixtures.ArimaCases.Where(kv => kv.Key.StartsWith("daily_", StringComparison.Ordinal)))
        {
            var fit = new AutoArima(7).Fit(series[name[6..]]);
            var same = fit.Order == OrderOf(c) && fit.HasConstant == (c["constant"][0] == 1);
            total++;
            agree += same ? 1 : 0;
            var meanErr = fit.Predict(28).Mean.Zip(c["mean"]).Max(t => Math.Abs(t.First - t.Second) / Math.Max(1, Math.Abs(t.Second)));
            output.WriteLine($"{name}: ours {fit.Description} (aicc {fit.Aicc:F3}) R {OrderOf(c)} c={c["constant"][0]} (aicc {c["aicc"][0]:F3}) {(same ? "same" : "DIFF")} max rel mean err {meanErr:P2}");
        }

        output.WriteLine($"agreement {agree}/{total}");
        Assert.Equal(20, total);
        Assert.True(agree >= 16, $"only {agree} of {total} daily SKU orders agree with R");
    }

    private static void AssertForecastClose(Dictionary<string, double[]> c, ArimaModel fit, double tolerance)
    {
        var h = c["mean"].Length;
        var fc = fit.Predict(h, [80, 95]);
        var scale = c["y"].Select(Math.Abs).Average();
        for (var i = 0; i < h; i++)
        {
            Assert.Equal(c["mean"][i], fc.Mean[i], tolerance * scale);
            Assert.Equal(c["lo80"][i], fc.Interval(80)!.Lower[i], 2 * tolerance * scale);
            Assert.Equal(c["hi95"][i], fc.Interval(95)!.Upper[i], 2 * tolerance * scale);
        }
    }
}
