using MathNet.Numerics.LinearAlgebra;

namespace EcomInsight.Forecasting.Models;

/// <summary>
/// An ETS model fitted to one series: parameters, last state and one-step fits; forecasts with analytic intervals
/// (Hyndman, Koehler, Ord &amp; Snyder 2008, ch. 6, as R's <c>forecast.ets</c>). Immutable and thread-safe.
/// </summary>
public sealed class EtsFit : IFittedForecastModel
{
    private readonly double[] lastState;
    private readonly double[] fitted;

    internal EtsFit(EtsCandidate candidate, string modelName)
    {
        Parameters = candidate.Parameters;
        lastState = candidate.LastState;
        fitted = candidate.Fitted;
        ModelName = modelName;
    }

    private EtsFit(EtsParameters parameters, double[] lastState, double[] fitted, string modelName)
    {
        Parameters = parameters;
        this.lastState = lastState;
        this.fitted = fitted;
        ModelName = modelName;
    }

    /// <summary>Fitted parameters and information criteria, comparable with R's <c>ets</c> object.</summary>
    public EtsParameters Parameters { get; }

    /// <summary>Name of the model specification that produced the fit (e.g. <c>ets</c>, <c>ses</c>).</summary>
    public string ModelName { get; }

    /// <inheritdoc />
    public string Description => Parameters.Model.ToString();

    /// <inheritdoc />
    public ReadOnlyMemory<double> Fitted => fitted;

    /// <inheritdoc />
    public bool HasIntervals => true;

    /// <summary>State after the last observation in R's order: ℓ_n, b_n (with trend), s_n … s_{n−m+1} (with season).</summary>
    public IReadOnlyList<double> LastState => lastState;

    /// <summary>R's treatment of a constant series: ses with α = 0.99999 (flat forecast at the last value), σ² = 0.</summary>
    internal static EtsFit Constant(double[] y, string modelName)
    {
        var type = new EtsModelType(EtsComponent.Additive, EtsComponent.None, false, EtsComponent.None);
        var parameters = new EtsParameters(
            type, 1, 0.99999, null, null, null, y[0], null, [], 0, double.NaN, double.NaN, double.NaN, double.NaN, 2);
        var fittedValues = (double[])y.Clone();
        return new EtsFit(parameters, [y[^1]], fittedValues, modelName);
    }

    /// <summary>Point forecasts and normal intervals mean ± z·√v_h, with v_h from Hyndman et al. (2008): class 1 §6.1
    /// (v_h = σ²[1 + Σ_{j&lt;h} c_j²], c_j = α + β·Σ_{i≤j}φⁱ + γ·1[j mod m = 0]), class 2 §6.3 and class 3 §6.4 (R's
    /// class1/class2/class3).</summary>
    /// <remarks>One deliberate difference from R 8.20: for seasonal classes without a trend (ANA, MNA) R's class1 puts γ
    /// into the second seasonal state (G[3] where the first seasonal state is 2), which shifts the γ term of c_j by one
    /// period; we use the textbook weights above, so those interval widths differ from R's when γ is not tiny
    /// (UKgas ETS(A,N,A): 16% at h = 8). Means and all other classes agree with R to rounding.</remarks>
    /// <inheritdoc />
    public ForecastResult Predict(int horizon, ReadOnlySpan<double> levels = default)
    {
        SeriesGuard.RequireHorizon(horizon);
        var type = Parameters.Model;
        double[] mean;
        var variance = new double[horizon];
        if (type.Error == EtsComponent.Multiplicative && type.Season == EtsComponent.Multiplicative)
        {
            mean = Class3(horizon, variance);
        }
        else
        {
            mean = PointForecast(horizon);
            var c = ImpulseWeights(horizon);
            var sigma2 = Parameters.Sigma2;
            if (type.Error == EtsComponent.Additive)
            {
                var sum = 0.0;
                for (var h = 0; h < horizon; h++)
                {
                    variance[h] = sigma2 * (1 + sum);
                    sum += c[h] * c[h];
                }
            }
            else
            {
                // R's class2: θ_1 = μ_1², θ_j = μ_j² + σ² Σ_{i<j} c_i² θ_{j−i}; v_j = (1 + σ²)θ_j − μ_j².
                var theta = new double[horizon];
                for (var j = 0; j < horizon; j++)
                {
                    var s = 0.0;
                    for (var i = 0; i < j; i++)
                    {
                        s += c[i] * c[i] * theta[j - 1 - i];
                    }

                    theta[j] = (mean[j] * mean[j]) + (sigma2 * s);
                    variance[j] = ((1 + sigma2) * theta[j]) - (mean[j] * mean[j]);
                }
            }
        }

        var sd = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            sd[h] = Math.Sqrt(Math.Max(variance[h], 0));
        }

        return ForecastResult.WithNormalIntervals(mean, sd, levels);
    }

    /// <summary>ŷ_{n+h} = ℓ_n + φ_h b_n (+ or ×) s_{n+h−m(⌊(h−1)/m⌋+1)}, φ_h = φ + … + φʰ.</summary>
    private double[] PointForecast(int horizon)
    {
        var type = Parameters.Model;
        var hasTrend = type.Trend != EtsComponent.None;
        var m = Parameters.SeasonLength;
        var phi = Parameters.Phi ?? 1.0;
        var l = lastState[0];
        var b = hasTrend ? lastState[1] : 0;
        var offset = hasTrend ? 2 : 1;
        var mean = new double[horizon];
        var phiStar = phi;
        for (var i = 0; i < horizon; i++)
        {
            var f = l + (phiStar * b);
            if (type.Season != EtsComponent.None)
            {
                var j = m - 1 - (i % m);
                f = type.Season == EtsComponent.Additive ? f + lastState[offset + j] : f * lastState[offset + j];
            }

            mean[i] = f;
            phiStar += Math.Pow(phi, i + 2);
        }

        return mean;
    }

    /// <summary>c_j = H F^{j−1} G for j = 1..h−1 (index j−1), the weights of past errors in the forecast error.</summary>
    private double[] ImpulseWeights(int horizon)
    {
        var alpha = Parameters.Alpha;
        var beta = Parameters.Beta ?? 0;
        var gamma = Parameters.Gamma ?? 0;
        var phi = Parameters.Phi ?? 1.0;
        var m = Parameters.SeasonLength;
        var c = new double[horizon];
        var phiSum = 0.0;
        var phiPow = 1.0;
        for (var j = 1; j < horizon; j++)
        {
            phiPow *= phi;
            phiSum += phiPow;
            c[j - 1] = alpha + (beta * phiSum) + (Parameters.Gamma is null || j % m != 0 ? 0 : gamma);
        }

        return c;
    }

    /// <summary>R's class3 (Hyndman et al. 2008, §6.4): mean and variance of ETS(M,N,M), (M,A,M), (M,Ad,M) by moment
    /// recursions on the Kronecker-structured state, mirroring R including its level/trend rows [1 1; 0 φ].</summary>
    private double[] Class3(int horizon, double[] variance)
    {
        var p = Parameters;
        var m = p.SeasonLength;
        var hasTrend = p.Model.Trend != EtsComponent.None;
        var k = hasTrend ? 2 : 1;
        var sigma2 = p.Sigma2;
        var build = Matrix<double>.Build;
        var h1 = build.Dense(1, k, 1.0);
        var h2 = build.Dense(1, m);
        h2[0, m - 1] = 1;
        Matrix<double> f1, g1;
        if (!hasTrend)
        {
            f1 = build.Dense(1, 1, 1.0);
            g1 = build.Dense(1, 1, p.Alpha);
        }
        else
        {
            f1 = build.DenseOfArray(new[,] { { 1, 1 }, { 0, p.Phi ?? 1.0 } });
            var beta = p.Beta ?? 0;
            g1 = build.DenseOfArray(new[,] { { p.Alpha, p.Alpha }, { beta, beta } });
        }

        var f2 = build.Dense(m, m);
        f2[0, m - 1] = 1;
        for (var i = 1; i < m; i++)
        {
            f2[i, i - 1] = 1;
        }

        var g2 = build.Dense(m, m);
        g2[0, m - 1] = p.Gamma ?? 0;
        var level = build.Dense(k, 1);
        for (var i = 0; i < k; i++)
        {
            level[i, 0] = lastState[i];
        }

        var seasonRow = build.Dense(1, m);
        for (var i = 0; i < m; i++)
        {
            seasonRow[0, i] = lastState[k + i];
        }

        var mh = level * seasonRow;
        var vh = build.Dense(k * m, k * m);
        var h21 = h2.KroneckerProduct(h1);
        var f21 = f2.KroneckerProduct(f1);
        var g21 = g2.KroneckerProduct(g1);
        var kk = g2.KroneckerProduct(f1) + f2.KroneckerProduct(g1);
        var mean = new double[horizon];
        for (var i = 0; i < horizon; i++)
        {
            var mu = (h1 * mh * h2.Transpose())[0, 0];
            mean[i] = mu;
            variance[i] = ((1 + sigma2) * (h21 * vh * h21.Transpose())[0, 0]) + (sigma2 * mu * mu);
            var vec = build.DenseOfColumnMajor(k * m, 1, mh.ToColumnMajorArray());
            var outer = vec * vec.Transpose();
            vh = (f21 * vh * f21.Transpose())
                + (sigma2 * ((f21 * vh * g21.Transpose()) + (g21 * vh * f21.Transpose())
                    + (kk * (vh + outer) * kk.Transpose())
                    + (sigma2 * (g21 * ((3 * vh) + (2 * outer)) * g21.Transpose()))));
            mh = (f1 * mh * f2.Transpose()) + (g1 * mh * g2.Transpose() * sigma2);
        }

        return mean;
    }
}
