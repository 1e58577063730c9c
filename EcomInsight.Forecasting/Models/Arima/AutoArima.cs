namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Automatic ARIMA order selection as R's <c>forecast::auto.arima</c> with its defaults (Hyndman &amp; Khandakar 2008,
/// <i>J. Statistical Software</i> 27(3); forecast 8.20):
/// D ∈ {0, 1} by the STL seasonal strength (&gt; 0.64) when m &gt; 1 and n &gt; 2m; d ≤ 2 by repeated KPSS tests at 5%;
/// then a stepwise search over (p, q, P, Q) and the constant minimising AICc, from ARIMA(2,d,2)(1,D,1), (0,d,0)(0,D,0),
/// (1,d,0)(1,D,0), (0,d,1)(0,D,1) and, with a constant, (0,d,0)(0,D,0) without, moving one or two orders at a time
/// (max p = q = 5, P = Q = 2, p + q + P + Q ≤ 5, at most 94 models). A constant (mean or drift) is allowed when
/// d + D ≤ 1. Candidates with an AR or MA root of modulus below 1.01 or a non-positive-definite Hessian are
/// discarded.
/// </summary>
/// <remarks>
/// <para><b>Likelihood stated:</b> candidates are compared by the exact Gaussian likelihood (CSS-ML) unless
/// <c>approximation</c> is on, which R turns on for n &gt; 150 or m &gt; 12: then the search uses the conditional sum of
/// squares (AIC = offset + n* log σ̂²_CSS + 2(k + 1) with R's offset from an ARIMA(0,d,0)(0,D,0) ML fit) and the
/// best candidates are refitted by exact ML in AICc order until one is admissible. The returned model is always an
/// exact-ML (CSS-ML) fit.</para>
/// <para>Differences from R, stated: where R stops with "No suitable ARIMA model found", this returns the
/// ARIMA(0,d,0)(0,D,0) fit (with the constant when allowed) so that batch forecasting never throws; a constant series
/// gives ARIMA(0,0,0) with its mean and zero variance, as R (here also a series constant up to rounding, range ≤ 10⁻¹² of its magnitude). Box–Cox transforms and regressors are not supported
/// (seasonality is additive, so zero-sales days and closures are fine).</para>
/// <para>Needs n ≥ 1; throws <see cref="InsufficientDataException"/> only for an empty series. Immutable and
/// thread-safe.</para>
/// </remarks>
public sealed class AutoArima : IForecastModel
{
    private const int NModels = 94;

    /// <summary>Creates the specification.</summary>
    /// <param name="seasonPeriod">Season length m ≥ 1 (1: non-seasonal).</param>
    /// <param name="approximation">Force CSS search on or off; null for R's rule (n &gt; 150 or m &gt; 12).</param>
    /// <param name="maxP">max.p (R: 5).</param>
    /// <param name="maxQ">max.q (R: 5).</param>
    /// <param name="maxSeasonalP">max.P (R: 2).</param>
    /// <param name="maxSeasonalQ">max.Q (R: 2).</param>
    /// <param name="maxOrder">max.order for p + q + P + Q (R: 5; used by R only in non-stepwise search, kept for
    /// completeness).</param>
    /// <exception cref="ArgumentOutOfRangeException">seasonPeriod &lt; 1 or a negative maximum.</exception>
    public AutoArima(int seasonPeriod = 1, bool? approximation = null, int maxP = 5, int maxQ = 5, int maxSeasonalP = 2, int maxSeasonalQ = 2, int maxOrder = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxP);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQ);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSeasonalP);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSeasonalQ);
        SeasonPeriod = seasonPeriod;
        Approximation = approximation;
        MaxP = maxP;
        MaxQ = maxQ;
        MaxSeasonalP = maxSeasonalP;
        MaxSeasonalQ = maxSeasonalQ;
        MaxOrder = maxOrder;
    }

    /// <inheritdoc />
    public string Name => "autoarima";

    /// <summary>Season length m.</summary>
    public int SeasonPeriod { get; }

    /// <summary>Forced approximation setting, or null for R's rule.</summary>
    public bool? Approximation { get; }

    /// <summary>Maximum non-seasonal AR order.</summary>
    public int MaxP { get; }

    /// <summary>Maximum non-seasonal MA order.</summary>
    public int MaxQ { get; }

    /// <summary>Maximum seasonal AR order.</summary>
    public int MaxSeasonalP { get; }

    /// <summary>Maximum seasonal MA order.</summary>
    public int MaxSeasonalQ { get; }

    /// <summary>Maximum total order.</summary>
    public int MaxOrder { get; }

    /// <inheritdoc />
    IFittedForecastModel IForecastModel.Fit(ReadOnlySpan<double> y) => Fit(y);

    /// <summary>Selects and fits the model; see the class remarks.</summary>
    /// <exception cref="ArgumentException">A non-finite value.</exception>
    /// <exception cref="InsufficientDataException">An empty series.</exception>
    public ArimaModel Fit(ReadOnlySpan<double> y)
    {
        SeriesGuard.RequireFinite(y, Name, 1);
        var n = y.Length;
        var x = y.ToArray();
        if (IsNearlyConstant(x))
        {
            // R tests exact equality; a series constant up to rounding (e.g. a constant minus an STL seasonal of
            // ±1e-15) would otherwise make log σ² diverge, so it is treated as constant too.
            return FixedModel(x, new ArimaOrder(0, 0, 0), Mean(x));
        }

        var m = SeasonPeriod;
        var maxP = Math.Min(MaxP, n / 3);
        var maxQ = Math.Min(MaxQ, n / 3);
        var maxSP = Math.Min(MaxSeasonalP, n / 3 / m);
        var maxSQ = Math.Min(MaxSeasonalQ, n / 3 / m);
        var useAic = n <= 3;

        int seasonalD;
        if (m == 1)
        {
            seasonalD = 0;
            maxSP = maxSQ = 0;
        }
        else if (n <= 2 * m)
        {
            seasonalD = 0;
        }
        else
        {
            seasonalD = UnitRootTests.Nsdiffs(x, m);
        }

        var dx = seasonalD > 0 ? ArimaEstimator.Difference(x, 0, seasonalD, m) : x;
        var d = UnitRootTests.Ndiffs(dx);
        if (d > 0 && dx.Length - d <= 0)
        {
            d--;
        }

        var ddx = d > 0 ? ArimaEstimator.Difference(dx, d, 0, 1) : dx;
        if (ddx.Length == 0)
        {
            throw new InsufficientDataException(Name, (seasonalD * m) + d + 1, n);
        }

        if (UnitRootTests.IsConstant(ddx))
        {
            // R fits (0,d,0)(0,D,0), with drift when it has only one difference; the differenced series is exact.
            var withConstant = (seasonalD > 0 && d == 0) || (seasonalD == 0 && d < 2);
            var order = new ArimaOrder(0, d, 0, 0, seasonalD, 0, m);
            return FixedModel(x, order, withConstant ? ddx[0] : 0.0, withConstant);
        }

        if (m > 1)
        {
            if (maxSP > 0)
            {
                maxP = Math.Min(maxP, m - 1);
            }

            if (maxSQ > 0)
            {
                maxQ = Math.Min(maxQ, m - 1);
            }
        }

        var approximation = Approximation ?? (n > 150 || m > 12);
        var search = new Search(x, ddx, d, seasonalD, m, useAic, approximation);
        if (approximation)
        {
            var offsetFit = ArimaEstimator.Fit(ddx, new ArimaOrder(0, d, 0, 0, seasonalD, 0, m), d + seasonalD == 0, ArimaMethod.CssMl, computeHessian: false);
            search.Offset = offsetFit is null ? 0.0 : (-2 * offsetFit.LogLik) - (n * Math.Log(offsetFit.Sigma2Arima));
        }

        var constant = d + seasonalD <= 1;
        var allowConstant = constant;
        var startP = 2;
        var startQ = 2;
        var startSP = 1;
        var startSQ = 1;
        if (n < 10)
        {
            startP = Math.Min(startP, 1);
            startQ = Math.Min(startQ, 1);
            startSP = 0;
            startSQ = 0;
        }

        int p = Math.Min(startP, maxP), q = Math.Min(startQ, maxQ), sp = Math.Min(startSP, maxSP), sq = Math.Min(startSQ, maxSQ);
        var best = search.Confirm(search.Evaluate(p, q, sp, sq, constant));
        var fit = search.Evaluate(0, 0, 0, 0, constant);
        if (search.Improves(ref fit, best))
        {
            best = fit;
            p = q = sp = sq = 0;
        }

        if (maxP > 0 || maxSP > 0)
        {
            var np = maxP > 0 ? 1 : 0;
            var nsp = m > 1 && maxSP > 0 ? 1 : 0;
            fit = search.Evaluate(np, 0, nsp, 0, constant);
            if (search.Improves(ref fit, best))
            {
                best = fit;
                p = np;
                sp = nsp;
                q = sq = 0;
            }
        }

        if (maxQ > 0 || maxSQ > 0)
        {
            var nq = maxQ > 0 ? 1 : 0;
            var nsq = m > 1 && maxSQ > 0 ? 1 : 0;
            fit = search.Evaluate(0, nq, 0, nsq, constant);
            if (search.Improves(ref fit, best))
            {
                best = fit;
                p = sp = 0;
                q = nq;
                sq = nsq;
            }
        }

        if (constant)
        {
            fit = search.Evaluate(0, 0, 0, 0, false);
            if (search.Improves(ref fit, best))
            {
                best = fit;
                p = q = sp = sq = 0;
            }
        }

        var startK = 0;
        while (startK < search.Count && search.Count < NModels)
        {
            startK = search.Count;

            // The neighbours in R's order; the first improvement restarts the loop (R's `next`).
            bool Try(int tp, int tq, int tsp, int tsq, bool tc)
            {
                if (search.Count >= NModels || search.Seen(tp, tq, tsp, tsq, tc))
                {
                    return false;
                }

                var f = search.Evaluate(tp, tq, tsp, tsq, tc);
                if (search.Improves(ref f, best))
                {
                    best = f;
                    p = tp;
                    q = tq;
                    sp = tsp;
                    sq = tsq;
                    constant = tc;
                    return true;
                }

                return false;
            }

            if (sp > 0 && Try(p, q, sp - 1, sq, constant))
            {
                continue;
            }

            if (sq > 0 && Try(p, q, sp, sq - 1, constant))
            {
                continue;
            }

            if (sp < maxSP && Try(p, q, sp + 1, sq, constant))
            {
                continue;
            }

            if (sq < maxSQ && Try(p, q, sp, sq + 1, constant))
            {
                continue;
            }

            if (sq > 0 && sp > 0 && Try(p, q, sp - 1, sq - 1, constant))
            {
                continue;
            }

            if (sq < maxSQ && sp > 0 && Try(p, q, sp - 1, sq + 1, constant))
            {
                continue;
            }

            if (sq > 0 && sp < maxSP && Try(p, q, sp + 1, sq - 1, constant))
            {
                continue;
            }

            if (sq < maxSQ && sp < maxSP && Try(p, q, sp + 1, sq + 1, constant))
            {
                continue;
            }

            if (p > 0 && Try(p - 1, q, sp, sq, constant))
            {
                continue;
            }

            if (q > 0 && Try(p, q - 1, sp, sq, constant))
            {
                continue;
            }

            if (p < maxP && Try(p + 1, q, sp, sq, constant))
            {
                continue;
            }

            if (q < maxQ && Try(p, q + 1, sp, sq, constant))
            {
                continue;
            }

            if (q > 0 && p > 0 && Try(p - 1, q - 1, sp, sq, constant))
            {
                continue;
            }

            if (q < maxQ && p > 0 && Try(p - 1, q + 1, sp, sq, constant))
            {
                continue;
            }

            if (q > 0 && p < maxP && Try(p + 1, q - 1, sp, sq, constant))
            {
                continue;
            }

            if (q < maxQ && p < maxP && Try(p + 1, q + 1, sp, sq, constant))
            {
                continue;
            }

            if (allowConstant)
            {
                Try(p, q, sp, sq, !constant);
            }
        }

        ArimaEstimate? chosen = null;
        if (approximation)
        {
            foreach (var listed in search.ByIc())
            {
                // R's table holds +∞ for candidates whose CSS Hessian failed; check those not yet checked.
                var candidate = search.Confirm(listed);
                if (!(candidate.Ic < double.PositiveInfinity))
                {
                    continue;
                }

                var refit = search.Confirm(search.Evaluate(candidate.P, candidate.Q, candidate.SP, candidate.SQ, candidate.Constant, exact: true, record: false));
                if (refit.Ic < double.PositiveInfinity)
                {
                    chosen = refit.Estimate;
                    break;
                }
            }
        }
        else if (best.Ic < double.PositiveInfinity)
        {
            chosen = best.Estimate;
        }

        if (chosen is null)
        {
            var fallbackOrder = new ArimaOrder(0, d, 0, 0, seasonalD, 0, m);
            chosen = ArimaEstimator.Fit(ddx, fallbackOrder, allowConstant, ArimaMethod.CssMl, computeHessian: true);
            if (chosen is null)
            {
                return FixedModel(x, fallbackOrder, 0.0, false);
            }
        }

        return new ArimaModel(x, chosen);
    }

    private static bool IsNearlyConstant(double[] x)
    {
        double min = x[0], max = x[0];
        foreach (var v in x)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return max - min <= 1e-12 * Math.Max(1.0, Math.Max(Math.Abs(min), Math.Abs(max)));
    }

    private static double Mean(double[] x)
    {
        var s = 0.0;
        foreach (var v in x)
        {
            s += v;
        }

        return s / x.Length;
    }

    private static ArimaModel FixedModel(double[] x, ArimaOrder order, double wConstant, bool withConstant = true)
    {
        var lost = order.LostToDifferencing;
        var nUsed = x.Length - lost;
        var residuals = new double[Math.Max(0, nUsed)];
        var estimate = new ArimaEstimate
        {
            Order = order,
            HasConstant = withConstant,
            Method = ArimaMethod.CssMl,
            Coefficients = withConstant ? [order.SeasonalD == 1 && order.D == 0 ? wConstant / order.Period : wConstant] : [],
            StandardErrors = withConstant ? [0.0] : [],
            WConstant = wConstant,
            Phi = [],
            Theta = [],
            Sigma2Arima = 0,
            LogLik = double.PositiveInfinity,
            Aic = double.NegativeInfinity,
            Residuals = residuals,
            FinalState = [0.0],
            NUsed = nUsed,
            BadHessian = false,
            Converged = true,
        };
        return new ArimaModel(x, estimate);
    }

    /// <summary>One candidate of the search and its information criterion (+∞ when inadmissible).</summary>
    private sealed record Candidate(int P, int Q, int SP, int SQ, bool Constant, double Ic, ArimaEstimate? Estimate);

    /// <summary>R's myarima plus the results table of the stepwise search.</summary>
    private sealed class Search(double[] x, double[] w, int d, int seasonalD, int m, bool useAic, bool approximation)
    {
        private readonly List<Candidate> _results = [];

        public double Offset { get; set; }

        public int Count => _results.Count;

        public bool Seen(int p, int q, int sp, int sq, bool constant)
        {
            foreach (var r in _results)
            {
                if (r.P == p && r.Q == q && r.SP == sp && r.SQ == sq && r.Constant == constant)
                {
                    return true;
                }
            }

            return false;
        }

        public IEnumerable<Candidate> ByIc()
        {
            // R's order() is stable: ties keep the order in which models were tried.
            return _results.Select((c, i) => (c, i)).OrderBy(t => t.c.Ic).ThenBy(t => t.i).Select(t => t.c);
        }

        /// <summary>True when <paramref name="candidate"/> beats <paramref name="best"/> after its Hessian check
        /// (R's checkarima), which is only paid for here: a model that does not beat the incumbent cannot be chosen.</summary>
        public bool Improves(ref Candidate candidate, Candidate best)
        {
            if (!(candidate.Ic < best.Ic))
            {
                return false;
            }

            candidate = Confirm(candidate);
            return candidate.Ic < best.Ic;
        }

        /// <summary>Computes the Hessian check of a candidate (once) and records the verdict in the table.</summary>
        public Candidate Confirm(Candidate candidate)
        {
            if (candidate.Estimate is null || candidate.Estimate.HessianChecked)
            {
                return candidate;
            }

            var checkedEstimate = ArimaEstimator.WithStandardErrors(w, candidate.Estimate);
            var confirmed = candidate with { Estimate = checkedEstimate, Ic = checkedEstimate.BadHessian ? double.PositiveInfinity : candidate.Ic };
            var index = _results.IndexOf(candidate);
            if (index >= 0)
            {
                _results[index] = confirmed;
            }

            return confirmed;
        }

        public Candidate Evaluate(int p, int q, int sp, int sq, bool constant, bool exact = false, bool record = true)
        {
            var order = new ArimaOrder(p, d, q, sp, seasonalD, sq, m);
            var css = approximation && !exact;
            var constantUsed = constant && d + seasonalD <= 1;
            var estimate = ArimaEstimator.Fit(w, order, constantUsed, css ? ArimaMethod.Css : ArimaMethod.CssMl, computeHessian: false);
            var ic = estimate is null ? double.PositiveInfinity : InformationCriterion(estimate, css);
            var candidate = new Candidate(p, q, sp, sq, constant, ic, estimate);
            if (record)
            {
                _results.Add(candidate);
            }

            return candidate;
        }

        private double InformationCriterion(ArimaEstimate e, bool css)
        {
            var nStar = x.Length - d - (seasonalD * m);
            var npar = e.Coefficients.Length + 1;
            var aic = css ? Offset + (nStar * Math.Log(e.Sigma2Arima)) + (2 * npar) : e.Aic;
            if (double.IsNaN(aic))
            {
                return double.PositiveInfinity;
            }

            double ic;
            if (useAic)
            {
                ic = aic;
            }
            else
            {
                var denom = nStar - npar - 1;
                ic = denom > 0 ? aic + (2.0 * npar * (npar + 1) / denom) : double.PositiveInfinity;
            }

            if (e.BadHessian)
            {
                return double.PositiveInfinity;
            }

            // Roots of the full AR and MA polynomials must lie outside the circle of radius 1.01.
            if (!ArimaPolynomials.RootsOutside(e.Phi, 1.01))
            {
                return double.PositiveInfinity;
            }

            Span<double> negTheta = e.Theta.Length <= 256 ? stackalloc double[e.Theta.Length] : new double[e.Theta.Length];
            for (var i = 0; i < e.Theta.Length; i++)
            {
                negTheta[i] = -e.Theta[i];
            }

            return ArimaPolynomials.RootsOutside(negTheta, 1.01) ? ic : double.PositiveInfinity;
        }
    }
}
