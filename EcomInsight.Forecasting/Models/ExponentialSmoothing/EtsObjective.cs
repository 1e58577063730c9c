using EcomInsight.Forecasting.Models.Numerics;

namespace EcomInsight.Forecasting.Models;

/// <summary>A compile-time boolean for specialising generic loops.</summary>
internal interface IFlag
{
    static abstract bool On { get; }
}

/// <summary>Flag set.</summary>
internal readonly struct Yes : IFlag
{
    public static bool On => true;
}

/// <summary>Flag clear.</summary>
internal readonly struct No : IFlag
{
    public static bool On => false;
}

/// <summary>A fitted ETS class before selection: parameters, last state and one-step fits.</summary>
internal sealed record EtsCandidate(EtsParameters Parameters, double[] LastState, double[] Fitted);

/// <summary>R's etsTargetFunction: bounds, admissibility and the likelihood (or MSE) of a parameter vector.</summary>
internal sealed class EtsObjective : IObjective
{
    private readonly double[] y;
    private readonly EtsModelType type;
    private readonly int m;
    private readonly EtsCriterion criterion;
    private readonly double[] ring;
    private readonly bool hasTrend;
    private readonly bool hasSeason;

    internal EtsObjective(double[] y, EtsModelType type, int m, EtsCriterion criterion)
    {
        this.y = y;
        this.type = type;
        this.m = m;
        this.criterion = criterion;
        hasTrend = type.Trend != EtsComponent.None;
        hasSeason = type.Season != EtsComponent.None;
        ring = new double[Math.Max(m, 1)];
    }

    public double Evaluate(ReadOnlySpan<double> x, double cutoff = double.PositiveInfinity)
    {
        if (!Unpack(x, out var alpha, out var beta, out var gamma, out var phi, out var level, out var trend))
        {
            return double.PositiveInfinity;
        }

        // Σ(y − ŷ)² only grows along the series; when the criterion is monotone in it (n·log SSE for additive errors,
        // SSE/n for "mse") the run can stop once the value is certain to exceed the cutoff. The margin 1e-9 keeps the
        // exp/log round trip on the safe side, so the optimiser's comparisons are exactly those of a full run.
        var abortAbove = double.PositiveInfinity;
        if (cutoff < double.PositiveInfinity)
        {
            if (criterion == EtsCriterion.Mse)
            {
                abortAbove = cutoff * y.Length * (1 + 1e-9);
            }
            else if (type.Error == EtsComponent.Additive && cutoff / y.Length > -700)
            {
                abortAbove = Math.Exp(cutoff / y.Length) * (1 + 1e-9);
            }
        }

        var lik = EtsEngine.Run(y, type, m, alpha, beta, gamma, phi, ref level, ref trend, ring, default, out _, out var sseY, abortAbove);
        if (double.IsPositiveInfinity(sseY))
        {
            return double.PositiveInfinity;
        }
        if (criterion == EtsCriterion.Mse)
        {
            return sseY / y.Length;
        }

        if (lik < -1e10)
        {
            lik = -1e10;
        }

        return double.IsNaN(lik) ? double.PositiveInfinity : lik;
    }

    /// <summary>Reads a parameter vector into smoothing parameters and fills the seasonal ring; false when out of bounds.</summary>
    private bool Unpack(ReadOnlySpan<double> x, out double alpha, out double beta, out double gamma, out double phi, out double level, out double trend)
    {
        var j = 0;
        alpha = x[j++];
        beta = hasTrend ? x[j++] : 0;
        gamma = hasSeason ? x[j++] : 0;
        phi = type.Damped ? x[j++] : 1;
        level = 0;
        trend = 0;
        if (alpha < EtsEngine.LowerBound || alpha > EtsEngine.UpperBound)
        {
            return false;
        }

        if (hasTrend && (beta < EtsEngine.LowerBound || beta > alpha || beta > EtsEngine.UpperBound))
        {
            return false;
        }

        if (type.Damped && (phi < EtsEngine.PhiLower || phi > EtsEngine.PhiUpper))
        {
            return false;
        }

        if (hasSeason && (gamma < EtsEngine.LowerBound || gamma > 1 - alpha || gamma > EtsEngine.UpperBound))
        {
            return false;
        }

        if (!EtsEngine.Admissible(alpha, beta, gamma, phi, hasSeason, hasTrend, m))
        {
            return false;
        }

        level = x[j++];
        trend = hasTrend ? x[j++] : 0;
        if (hasSeason)
        {
            // x holds s0 (most recent) … s_{-m+2}; the ring is oldest first, so ring[0] is the implied s_{-m+1}.
            var sum = 0.0;
            var min = double.PositiveInfinity;
            for (var k = 0; k < m - 1; k++)
            {
                var s = x[j + k];
                ring[m - 1 - k] = s;
                sum += s;
                min = Math.Min(min, s);
            }

            var last = (type.Season == EtsComponent.Multiplicative ? m : 0) - sum;
            ring[0] = last;
            min = Math.Min(min, last);
            if (type.Season == EtsComponent.Multiplicative && min < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Final pass at the optimum: fitted values, last state, information criteria (R's etsmodel tail).</summary>
    internal EtsCandidate? Finish(ReadOnlySpan<double> x, int np)
    {
        if (!Unpack(x, out var alpha, out var beta, out var gamma, out var phi, out var level, out var trend))
        {
            return null;
        }

        var l0 = level;
        var b0 = trend;
        var seasons = new double[hasSeason ? m : 0];
        for (var k = 0; k < seasons.Length; k++)
        {
            seasons[k] = ring[m - 1 - k];
        }

        var n = y.Length;
        var fitted = new double[n];
        var lik = EtsEngine.Run(y, type, m, alpha, beta, gamma, phi, ref level, ref trend, ring, fitted, out var sse, out _);
        var k1 = np + 1;
        var aic = lik + (2.0 * k1);
        var parameters = new EtsParameters(
            type,
            hasSeason ? m : 1,
            alpha,
            hasTrend ? beta : null,
            hasSeason ? gamma : null,
            type.Damped ? phi : null,
            l0,
            hasTrend ? b0 : null,
            seasons,
            sse / (n - np),
            -0.5 * lik,
            aic,
            aic + (2.0 * k1 * (k1 + 1) / (n - k1 - 1)),
            lik + (Math.Log(n) * k1),
            np);

        // Last state in R's order: ℓ_n, b_n, s_n (most recent) … s_{n-m+1}.
        var last = new double[1 + (hasTrend ? 1 : 0) + seasons.Length];
        last[0] = level;
        if (hasTrend)
        {
            last[1] = trend;
        }

        var offset = hasTrend ? 2 : 1;
        for (var k = 0; k < seasons.Length; k++)
        {
            last[offset + k] = ring[(((n - 1 - k) % m) + m) % m];
        }

        return new EtsCandidate(parameters, last, fitted);
    }
}
