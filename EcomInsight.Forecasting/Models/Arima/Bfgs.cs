namespace EcomInsight.Forecasting.Models;

/// <summary>An objective function f: ℝᵏ → ℝ evaluated without allocation (the implementer owns its workspace).</summary>
internal interface IBfgsObjective
{
    /// <summary>f(x); may return <see cref="double.PositiveInfinity"/> or a huge value outside the domain.</summary>
    double Value(ReadOnlySpan<double> x);

    /// <summary>Writes the analytic gradient ∇f(x) and returns true, or returns false when the objective has none
    /// (the optimiser then uses central differences).</summary>
    bool TryGradient(ReadOnlySpan<double> x, Span<double> gradient);
}

/// <summary>
/// Variable-metric (BFGS) minimiser with central-difference gradients: a port of R's <c>optim(method = "BFGS")</c>
/// (<c>vmmin</c> in R's src/appl/optim.c, after Nash 1990, <i>Compact Numerical Methods</i>, Algorithm 21) with
/// R's defaults: <c>reltol = sqrt(eps)</c>, <c>maxit = 100</c>, <c>ndeps = 1e-3</c>, backtracking by 0.2 with
/// acceptance tolerance 1e-4. Porting it (rather than calling MathNet's BFGS) keeps the optimisation path, and so the
/// local optimum reached on flat ARIMA likelihoods, close to R's.
/// </summary>
/// <remarks>One instance holds the workspace for dimension k; it is not thread-safe and is reused across fits of one
/// series so that no memory is allocated per likelihood evaluation.</remarks>
internal sealed class Bfgs
{
    private const double StepReduction = 0.2;
    private const double AcceptTolerance = 1e-4;
    private const double RelTest = 10.0;
    private const double NumericStep = 1e-3;

    private readonly double[] _b;
    private readonly double[] _g;
    private readonly double[] _t;
    private readonly double[] _x;
    private readonly double[] _c;
    private readonly double[] _bMat;
    private readonly double[] _probe;
    private readonly double[] _gPlus;
    private readonly double[] _gMinus;

    /// <summary>Creates a workspace for problems of dimension up to <paramref name="maxDim"/>.</summary>
    public Bfgs(int maxDim)
    {
        var k = Math.Max(1, maxDim);
        _b = new double[k];
        _g = new double[k];
        _t = new double[k];
        _x = new double[k];
        _c = new double[k];
        _bMat = new double[k * k];
        _probe = new double[k];
        _gPlus = new double[k];
        _gMinus = new double[k];
    }

    /// <summary>Number of objective evaluations in the last call (diagnostics and benchmarks).</summary>
    public int Evaluations { get; private set; }

    /// <summary>Minimises <paramref name="f"/> from <paramref name="start"/>; writes the minimiser into
    /// <paramref name="solution"/>.</summary>
    /// <returns>The minimum value, whether the iteration converged (R's <c>convergence == 0</c>), and false for
    /// <c>ok</c> when the start or a gradient was not finite (R stops with an error there).</returns>
    public (double Value, bool Converged, bool Ok) Minimize(IBfgsObjective f, ReadOnlySpan<double> start, Span<double> solution, int maxIterations = 100, double relTol = 1.4901161193847656e-08)
    {
        var n = start.Length;
        Evaluations = 0;
        var b = _b.AsSpan(0, n);
        var g = _g.AsSpan(0, n);
        var t = _t.AsSpan(0, n);
        var x = _x.AsSpan(0, n);
        var c = _c.AsSpan(0, n);
        start.CopyTo(b);
        if (n == 0)
        {
            Evaluations = 1;
            return (f.Value(b), true, true);
        }

        var fmin = Eval(f, b);
        if (!double.IsFinite(fmin))
        {
            b.CopyTo(solution);
            return (fmin, false, false);
        }

        if (!Gradient(f, b, g))
        {
            b.CopyTo(solution);
            return (fmin, false, false);
        }

        var iter = 1;
        var gradCount = 1;
        var iLast = gradCount;
        int count;
        var bm = _bMat;
        do
        {
            if (iLast == gradCount)
            {
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        bm[(i * n) + j] = 0;
                    }

                    bm[(i * n) + i] = 1;
                }
            }

            b.CopyTo(x);
            g.CopyTo(c);
            var gradProj = 0.0;
            for (var i = 0; i < n; i++)
            {
                var s = 0.0;
                for (var j = 0; j <= i; j++)
                {
                    s -= bm[(i * n) + j] * g[j];
                }

                for (var j = i + 1; j < n; j++)
                {
                    s -= bm[(j * n) + i] * g[j];
                }

                t[i] = s;
                gradProj += s * g[i];
            }

            if (gradProj < 0)
            {
                var step = 1.0;
                var accept = false;
                var fNew = fmin;
                do
                {
                    count = 0;
                    for (var i = 0; i < n; i++)
                    {
                        b[i] = x[i] + (step * t[i]);
                        if (RelTest + x[i] == RelTest + b[i])
                        {
                            count++;
                        }
                    }

                    if (count < n)
                    {
                        fNew = Eval(f, b);
                        accept = double.IsFinite(fNew) && fNew <= fmin + (gradProj * step * AcceptTolerance);
                        if (!accept)
                        {
                            step *= StepReduction;
                        }
                    }
                }
                while (!(count == n || accept));

                var enough = Math.Abs(fNew - fmin) > relTol * (Math.Abs(fmin) + relTol);
                if (!enough)
                {
                    count = n;
                    fmin = fNew;
                }

                if (count < n)
                {
                    fmin = fNew;
                    if (!Gradient(f, b, g))
                    {
                        b.CopyTo(solution);
                        return (fmin, false, false);
                    }

                    gradCount++;
                    iter++;
                    var d1 = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        t[i] *= step;
                        c[i] = g[i] - c[i];
                        d1 += t[i] * c[i];
                    }

                    if (d1 > 0)
                    {
                        var d2 = 0.0;
                        for (var i = 0; i < n; i++)
                        {
                            var s = 0.0;
                            for (var j = 0; j <= i; j++)
                            {
                                s += bm[(i * n) + j] * c[j];
                            }

                            for (var j = i + 1; j < n; j++)
                            {
                                s += bm[(j * n) + i] * c[j];
                            }

                            x[i] = s;
                            d2 += s * c[i];
                        }

                        d2 = 1.0 + (d2 / d1);
                        for (var i = 0; i < n; i++)
                        {
                            for (var j = 0; j <= i; j++)
                            {
                                bm[(i * n) + j] += ((d2 * t[i] * t[j]) - (x[i] * t[j]) - (t[i] * x[j])) / d1;
                            }
                        }
                    }
                    else
                    {
                        iLast = gradCount;
                    }
                }
                else if (iLast < gradCount)
                {
                    count = 0;
                    iLast = gradCount;
                }
            }
            else
            {
                count = 0;
                if (iLast == gradCount)
                {
                    count = n;
                }
                else
                {
                    iLast = gradCount;
                }
            }

            if (iter >= maxIterations)
            {
                break;
            }

            if (gradCount - iLast > 2 * n)
            {
                iLast = gradCount;
            }
        }
        while (count != n || iLast != gradCount);

        b.CopyTo(solution);
        return (fmin, iter < maxIterations, true);
    }

    /// <summary>The objective's analytic gradient when it has one, else the central-difference gradient with step 1e-3
    /// (R's <c>ndeps</c>); false when a value is not finite
    /// (R: "non-finite finite-difference value").</summary>
    public bool Gradient(IBfgsObjective f, ReadOnlySpan<double> at, Span<double> gradient)
    {
        var n = at.Length;
        if (f.TryGradient(at, gradient))
        {
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(gradient[i]))
                {
                    return false;
                }
            }

            return true;
        }

        var probe = _probe.AsSpan(0, n);
        at.CopyTo(probe);
        for (var i = 0; i < n; i++)
        {
            probe[i] = at[i] + NumericStep;
            var up = Eval(f, probe);
            probe[i] = at[i] - NumericStep;
            var down = Eval(f, probe);
            probe[i] = at[i];
            var gi = (up - down) / (2 * NumericStep);
            if (!double.IsFinite(gi))
            {
                return false;
            }

            gradient[i] = gi;
        }

        return true;
    }

    /// <summary>Numerical Hessian as R's <c>optimhess</c>: central differences of the numerical gradient, symmetrised.
    /// <paramref name="hessian"/> is k×k row-major. Returns false when a gradient is not finite.</summary>
    public bool Hessian(IBfgsObjective f, ReadOnlySpan<double> at, Span<double> hessian)
    {
        var n = at.Length;
        var point = new double[n];
        at.CopyTo(point);
        var gPlus = _gPlus.AsSpan(0, n);
        var gMinus = _gMinus.AsSpan(0, n);
        for (var i = 0; i < n; i++)
        {
            point[i] = at[i] + NumericStep;
            if (!Gradient(f, point, gPlus))
            {
                return false;
            }

            point[i] = at[i] - NumericStep;
            if (!Gradient(f, point, gMinus))
            {
                return false;
            }

            point[i] = at[i];
            for (var j = 0; j < n; j++)
            {
                hessian[(i * n) + j] = (gPlus[j] - gMinus[j]) / (2 * NumericStep);
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var s = 0.5 * (hessian[(i * n) + j] + hessian[(j * n) + i]);
                hessian[(i * n) + j] = s;
                hessian[(j * n) + i] = s;
            }
        }

        return true;
    }

    private double Eval(IBfgsObjective f, ReadOnlySpan<double> x)
    {
        Evaluations++;
        return f.Value(x);
    }
}
