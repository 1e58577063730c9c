namespace EcomInsight.Forecasting.Models.Numerics;

/// <summary>An objective function f: ℝᵏ → ℝ for <see cref="NelderMead"/>; return
/// <see cref="double.PositiveInfinity"/> (or NaN) outside the feasible region.</summary>
public interface IObjective
{
    /// <summary>Evaluates the objective at <paramref name="x"/> (length k). Must not keep a reference to the span.</summary>
    /// <param name="x">The point.</param>
    /// <param name="cutoff">The caller only needs to know whether f(x) &lt; cutoff: once the objective knows f(x) &gt; cutoff
    /// (e.g. a running sum of squares already exceeds it) it may stop and return any value &gt; cutoff, such as +∞.
    /// +∞ means the exact value is needed.</param>
    double Evaluate(ReadOnlySpan<double> x, double cutoff = double.PositiveInfinity);
}

/// <summary>Result of a <see cref="NelderMead"/> run.</summary>
/// <param name="Minimum">Objective value at the returned point.</param>
/// <param name="Evaluations">Number of objective evaluations used.</param>
/// <param name="Converged">False when the evaluation budget ran out or the simplex stopped shrinking.</param>
public readonly record struct NelderMeadResult(double Minimum, int Evaluations, bool Converged);

/// <summary>
/// Nelder–Mead downhill simplex minimiser, a line-by-line port of R's <c>nmmin</c> (src/appl/optim.c,
/// after J. C. Nash, <i>Compact Numerical Methods for Computers</i>, 2nd ed., 1990, Algorithm 19), which
/// is also the optimiser behind R <c>forecast::ets</c> (<c>etsNelderMead</c>).
/// </summary>
/// <remarks>
/// Porting it exactly (same initial simplex: step = max(0.1·|xᵢ|) or 0.1, same reflection/expansion/contraction
/// order, same relative stopping rule <c>f_high ≤ f_low + reltol·(|f₀| + reltol)</c>) makes our ETS fits follow the
/// same path as R, so fitted parameters agree far more closely than with a different optimiser.
/// Infeasible points are handled as in R: a non-finite objective is replaced by 1e35.
/// The simplex is the only allocation (k+1)·(k+2) doubles per call; iterations allocate nothing.
/// Trial points whose value only matters through a comparison (reflection vs the worst vertex, expansion vs the
/// reflection, contraction vs the worst vertex) are evaluated with that bound as <see cref="IObjective.Evaluate"/>'s
/// cutoff, so a sum-of-squares objective can stop early; every comparison, and hence the path, is unchanged.
/// </remarks>
public static class NelderMead
{
    private const double Big = 1.0e35;

    /// <summary>Minimises <paramref name="objective"/> starting from <paramref name="x"/>; the minimiser is written back
    /// into <paramref name="x"/>.</summary>
    /// <typeparam name="T">Objective type; a struct or sealed class avoids virtual dispatch.</typeparam>
    /// <param name="objective">The function to minimise.</param>
    /// <param name="x">Start point on input (length k ≥ 1), best point on output.</param>
    /// <param name="absTol">Stop when the best value is ≤ this (R's <c>abstol</c>; ets uses −∞).</param>
    /// <param name="relTol">Relative tolerance (R's <c>reltol</c>; ets uses √ε ≈ 1.49e-8).</param>
    /// <param name="maxEvaluations">Evaluation budget (R's <c>maxit</c>; ets uses 2000).</param>
    /// <param name="reflection">Reflection coefficient (1).</param>
    /// <param name="contraction">Contraction coefficient (0.5).</param>
    /// <param name="expansion">Expansion coefficient (2).</param>
    /// <exception cref="ArgumentException">The objective is not finite at the start point.</exception>
    public static NelderMeadResult Minimize<T>(
        T objective,
        Span<double> x,
        double absTol = double.NegativeInfinity,
        double relTol = 1.4901161193847656e-8,
        int maxEvaluations = 2000,
        double reflection = 1.0,
        double contraction = 0.5,
        double expansion = 2.0)
        where T : IObjective
    {
        ArgumentNullException.ThrowIfNull(objective);
        var n = x.Length;
        var f = objective.Evaluate(x);
        if (!double.IsFinite(f))
        {
            throw new ArgumentException("The objective cannot be evaluated at the initial parameters.", nameof(x));
        }

        var n1 = n + 1;
        var cols = n + 2;

        // p[i, j] = p[i * cols + j]; rows 0..n-1 are coordinates, row n holds the values; column n+1 is the centroid.
        var p = new double[n1 * cols];
        var funcount = 1;
        var convtol = relTol * (Math.Abs(f) + relTol);
        p[(n * cols) + 0] = f;
        for (var i = 0; i < n; i++)
        {
            p[(i * cols) + 0] = x[i];
        }

        var l = 1;
        var size = 0.0;
        var step = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (0.1 * Math.Abs(x[i]) > step)
            {
                step = 0.1 * Math.Abs(x[i]);
            }
        }

        if (step == 0.0)
        {
            step = 0.1;
        }

        for (var j = 2; j <= n1; j++)
        {
            for (var i = 0; i < n; i++)
            {
                p[(i * cols) + j - 1] = x[i];
            }

            var trystep = step;
            while (p[((j - 2) * cols) + j - 1] == x[j - 2])
            {
                p[((j - 2) * cols) + j - 1] = x[j - 2] + trystep;
                trystep *= 10;
            }

            size += trystep;
        }

        var oldsize = size;
        var calcvert = true;
        var failed = false;
        do
        {
            if (calcvert)
            {
                for (var j = 0; j < n1; j++)
                {
                    if (j + 1 != l)
                    {
                        for (var i = 0; i < n; i++)
                        {
                            x[i] = p[(i * cols) + j];
                        }

                        f = Finite(objective.Evaluate(x));
                        funcount++;
                        p[(n * cols) + j] = f;
                    }
                }

                calcvert = false;
            }

            var vl = p[(n * cols) + l - 1];
            var vh = vl;
            var h = l;
            for (var j = 1; j <= n1; j++)
            {
                if (j != l)
                {
                    f = p[(n * cols) + j - 1];
                    if (f < vl)
                    {
                        l = j;
                        vl = f;
                    }

                    if (f > vh)
                    {
                        h = j;
                        vh = f;
                    }
                }
            }

            if (vh <= vl + convtol || vl <= absTol)
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                var temp = -p[(i * cols) + h - 1];
                for (var j = 0; j < n1; j++)
                {
                    temp += p[(i * cols) + j];
                }

                p[(i * cols) + cols - 1] = temp / n;
            }

            for (var i = 0; i < n; i++)
            {
                x[i] = ((1.0 + reflection) * p[(i * cols) + cols - 1]) - (reflection * p[(i * cols) + h - 1]);
            }

            f = Finite(objective.Evaluate(x, vh));
            funcount++;
            var vr = f;
            if (vr < vl)
            {
                p[(n * cols) + cols - 1] = f;
                for (var i = 0; i < n; i++)
                {
                    f = (expansion * x[i]) + ((1 - expansion) * p[(i * cols) + cols - 1]);
                    p[(i * cols) + cols - 1] = x[i];
                    x[i] = f;
                }

                f = Finite(objective.Evaluate(x, vr));
                funcount++;
                if (f < vr)
                {
                    for (var i = 0; i < n; i++)
                    {
                        p[(i * cols) + h - 1] = x[i];
                    }

                    p[(n * cols) + h - 1] = f;
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        p[(i * cols) + h - 1] = p[(i * cols) + cols - 1];
                    }

                    p[(n * cols) + h - 1] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    for (var i = 0; i < n; i++)
                    {
                        p[(i * cols) + h - 1] = x[i];
                    }

                    p[(n * cols) + h - 1] = vr;
                }

                for (var i = 0; i < n; i++)
                {
                    x[i] = ((1 - contraction) * p[(i * cols) + h - 1]) + (contraction * p[(i * cols) + cols - 1]);
                }

                f = Finite(objective.Evaluate(x, p[(n * cols) + h - 1]));
                funcount++;
                if (f < p[(n * cols) + h - 1])
                {
                    for (var i = 0; i < n; i++)
                    {
                        p[(i * cols) + h - 1] = x[i];
                    }

                    p[(n * cols) + h - 1] = f;
                }
                else if (vr >= vh)
                {
                    calcvert = true;
                    size = 0.0;
                    for (var j = 0; j < n1; j++)
                    {
                        if (j + 1 != l)
                        {
                            for (var i = 0; i < n; i++)
                            {
                                p[(i * cols) + j] = (contraction * (p[(i * cols) + j] - p[(i * cols) + l - 1])) + p[(i * cols) + l - 1];
                                size += Math.Abs(p[(i * cols) + j] - p[(i * cols) + l - 1]);
                            }
                        }
                    }

                    if (size < oldsize)
                    {
                        oldsize = size;
                    }
                    else
                    {
                        failed = true;
                        break;
                    }
                }
            }
        }
        while (funcount <= maxEvaluations);

        for (var i = 0; i < n; i++)
        {
            x[i] = p[(i * cols) + l - 1];
        }

        return new NelderMeadResult(p[(n * cols) + l - 1], funcount, !failed && funcount <= maxEvaluations);
    }

    private static double Finite(double f) => double.IsFinite(f) ? f : Big;
}
