namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Port of the netlib/R Fortran routines stl, stlstp, stlss, stless, stlest, stlfts, stlma and stlrwt. Fortran's
/// 1-based index i is written as [i − 1] on 0-based spans so that the code can be compared with stl.f line by line.
/// One instance owns the (n + 2m)×5 workspace; not thread-safe.
/// </summary>
internal sealed class StlCore
{
    private readonly int _n;
    private readonly int _np;
    private readonly double[] _w1;
    private readonly double[] _w2;
    private readonly double[] _w3;
    private readonly double[] _w4;
    private readonly double[] _w5;

    public StlCore(int n, int np)
    {
        _n = n;
        _np = np;
        var len = n + (2 * np);
        _w1 = new double[len];
        _w2 = new double[len];
        _w3 = new double[len];
        _w4 = new double[len];
        _w5 = new double[len];
    }

    public void Run(ReadOnlySpan<double> y, int ns, int nt, int nl, int isdeg, int itdeg, int ildeg, int nsjump, int ntjump, int nljump, int ni, int no, Span<double> rw, Span<double> season, Span<double> trend)
    {
        var n = _n;
        var userw = false;
        trend.Clear();
        var newns = Math.Max(3, ns);
        var newnt = Math.Max(3, nt);
        var newnl = Math.Max(3, nl);
        var newnp = Math.Max(2, _np);
        if (newns % 2 == 0)
        {
            newns++;
        }

        if (newnt % 2 == 0)
        {
            newnt++;
        }

        if (newnl % 2 == 0)
        {
            newnl++;
        }

        var k = 0;
        while (true)
        {
            Step(y, newnp, newns, newnt, newnl, isdeg, itdeg, ildeg, nsjump, ntjump, nljump, ni, userw, rw, season, trend);
            k++;
            if (k > no)
            {
                break;
            }

            for (var i = 0; i < n; i++)
            {
                _w1[i] = trend[i] + season[i];
            }

            RobustnessWeights(y, _w1.AsSpan(0, n), rw);
            userw = true;
        }

        if (no <= 0)
        {
            rw.Fill(1.0);
        }
    }

    private void Step(ReadOnlySpan<double> y, int np, int ns, int nt, int nl, int isdeg, int itdeg, int ildeg, int nsjump, int ntjump, int nljump, int ni, bool userw, Span<double> rw, Span<double> season, Span<double> trend)
    {
        var n = _n;
        for (var j = 0; j < ni; j++)
        {
            for (var i = 0; i < n; i++)
            {
                _w1[i] = y[i] - trend[i];
            }

            SeasonalSmooth(_w1, n, np, ns, isdeg, nsjump, userw, rw, _w2, _w3, _w4, _w5, season);
            LowPass(_w2, n + (2 * np), np, _w3, _w1);
            Loess(_w3, n, nl, ildeg, nljump, false, _w4, _w1, _w5);
            for (var i = 0; i < n; i++)
            {
                season[i] = _w2[np + i] - _w1[i];
            }

            for (var i = 0; i < n; i++)
            {
                _w1[i] = y[i] - season[i];
            }

            Loess(_w1, n, nt, itdeg, ntjump, userw, rw, trend, _w3);
        }
    }

    /// <summary>stlrwt: bisquare robustness weights with h = 6·median|y − fit|.</summary>
    private static void RobustnessWeights(ReadOnlySpan<double> y, ReadOnlySpan<double> fit, Span<double> rw)
    {
        var n = y.Length;
        for (var i = 0; i < n; i++)
        {
            rw[i] = Math.Abs(y[i] - fit[i]);
        }

        var mid1 = (n / 2) + 1;
        var mid2 = n - mid1 + 1;

        // R's partial sort, ported literally. R passes the two positions in descending order for even n, for which
        // psort does not always deliver the true order statistics; a full sort made robust fits drift from R (0.1 on
        // AirPassengers from the second robustness iteration on), and R's output is the reference.
        PartialSort(rw, n, [mid1, mid2]);
        var cmad = 3.0 * (rw[mid1 - 1] + rw[mid2 - 1]);
        var c9 = 0.999 * cmad;
        var c1 = 0.001 * cmad;
        for (var i = 0; i < n; i++)
        {
            var r = Math.Abs(y[i] - fit[i]);
            if (r <= c1)
            {
                rw[i] = 1.0;
            }
            else if (r <= c9)
            {
                var u = r / cmad;
                rw[i] = (1 - (u * u)) * (1 - (u * u));
            }
            else
            {
                rw[i] = 0.0;
            }
        }
    }

    /// <summary>psort from stl.f (Singleton's quicksort variant, ACM Algorithm 347) restricted to the positions in
    /// <paramref name="ind"/> (1-based, ascending); a literal transcription, gotos included, to reproduce R exactly.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0011", Justification = "Literal Fortran transcription.")]
    private static void PartialSort(Span<double> a1, int n, int[] ind)
    {
        var ni = ind.Length;
        if (n < 2 || ni == 0)
        {
            return;
        }

        Span<int> indu = stackalloc int[16];
        Span<int> indl = stackalloc int[16];
        Span<int> iu = stackalloc int[16];
        Span<int> il = stackalloc int[16];
        int p, jl, ju, i, j, m, k, ij, l;
        double t, tt;

        // 1-based accessors over the 0-based span.
        ref double A(Span<double> s, int idx) => ref s[idx - 1];

        jl = 1;
        ju = ni;
        indl[0] = 1;
        indu[0] = ni;
        i = 1;
        j = n;
        m = 1;

    L161:
        if (i < j) goto L10;

    L166:
        m--;
        if (m == 0) return;
        i = il[m - 1];
        j = iu[m - 1];
        jl = indl[m - 1];
        ju = indu[m - 1];
        if (!(jl <= ju)) goto L166;

    L173:
        if (!(j - i > 10)) goto L174;

    L10:
        k = i;
        ij = (i + j) / 2;
        t = A(a1, ij);
        if (A(a1, i) > t)
        {
            A(a1, ij) = A(a1, i);
            A(a1, i) = t;
            t = A(a1, ij);
        }

        l = j;
        if (A(a1, j) < t)
        {
            A(a1, ij) = A(a1, j);
            A(a1, j) = t;
            t = A(a1, ij);
            if (A(a1, i) > t)
            {
                A(a1, ij) = A(a1, i);
                A(a1, i) = t;
                t = A(a1, ij);
            }
        }

    L181:
        l--;
        if (A(a1, l) <= t)
        {
            tt = A(a1, l);
        L186:
            k++;
            if (!(A(a1, k) >= t)) goto L186;
            if (k > l) goto L183;
            A(a1, l) = A(a1, k);
            A(a1, k) = tt;
        }

        goto L181;

    L183:
        indl[m - 1] = jl;
        indu[m - 1] = ju;
        p = m;
        m++;
        if (l - i <= j - k)
        {
            il[p - 1] = k;
            iu[p - 1] = j;
            j = l;
        L193:
            if (jl > ju) goto L166;
            if (ind[ju - 1] > j)
            {
                ju--;
                goto L193;
            }

            indl[p - 1] = ju + 1;
        }
        else
        {
            il[p - 1] = i;
            iu[p - 1] = l;
            i = k;
        L200:
            if (jl > ju) goto L166;
            if (ind[jl - 1] < i)
            {
                jl++;
                goto L200;
            }

            indu[p - 1] = jl - 1;
        }

        goto L173;

    L174:
        if (i != 1)
        {
            i--;
        L209:
            i++;
            if (i == j) goto L166;
            t = A(a1, i + 1);
            if (A(a1, i) > t)
            {
                k = i;
            L216:
                A(a1, k + 1) = A(a1, k);
                k--;
                if (!(t >= A(a1, k))) goto L216;
                A(a1, k + 1) = t;
            }

            goto L209;
        }

        goto L161;
    }

    /// <summary>stlss: LOESS on each cycle-subseries, extrapolated one cycle at each end.</summary>
    private static void SeasonalSmooth(Span<double> y, int n, int np, int ns, int isdeg, int nsjump, bool userw, Span<double> rw, Span<double> season, Span<double> work1, Span<double> work2, Span<double> work3, Span<double> work4)
    {
        for (var j = 1; j <= np; j++)
        {
            var k = ((n - j) / np) + 1;
            for (var i = 1; i <= k; i++)
            {
                work1[i - 1] = y[((i - 1) * np) + j - 1];
            }

            if (userw)
            {
                for (var i = 1; i <= k; i++)
                {
                    work3[i - 1] = rw[((i - 1) * np) + j - 1];
                }
            }

            Loess(work1, k, ns, isdeg, nsjump, userw, work3, work2[1..], work4);
            var nright = Math.Min(ns, k);
            if (!Estimate(work1, k, ns, isdeg, 0, out var ys, 1, nright, work4, userw, work3))
            {
                ys = work2[1];
            }

            work2[0] = ys;
            var nleft = Math.Max(1, k - ns + 1);
            if (!Estimate(work1, k, ns, isdeg, k + 1, out ys, nleft, k, work4, userw, work3))
            {
                ys = work2[k];
            }

            work2[k + 1] = ys;
            for (var m = 1; m <= k + 2; m++)
            {
                season[((m - 1) * np) + j - 1] = work2[m - 1];
            }
        }
    }

    /// <summary>stlfts: moving averages of lengths np, np, 3.</summary>
    private static void LowPass(Span<double> x, int n, int np, Span<double> trend, Span<double> work)
    {
        MovingAverage(x, n, np, trend);
        MovingAverage(trend, n - np + 1, np, work);
        MovingAverage(work, n - (2 * np) + 2, 3, trend);
    }

    /// <summary>stlma: moving average of length len over x[0..n).</summary>
    private static void MovingAverage(Span<double> x, int n, int len, Span<double> ave)
    {
        var newn = n - len + 1;
        var flen = (double)len;
        var v = 0.0;
        for (var i = 0; i < len; i++)
        {
            v += x[i];
        }

        ave[0] = v / flen;
        if (newn > 1)
        {
            var k = len;
            var m = 0;
            for (var j = 1; j < newn; j++)
            {
                v = v - x[m] + x[k];
                ave[j] = v / flen;
                k++;
                m++;
            }
        }
    }

    /// <summary>stless: LOESS smoothing of y[0..n) with window len and degree ideg, evaluated every njump points and
    /// linearly interpolated in between.</summary>
    private static void Loess(Span<double> y, int n, int len, int ideg, int njump, bool userw, Span<double> rw, Span<double> ys, Span<double> res)
    {
        if (n < 2)
        {
            ys[0] = y[0];
            return;
        }

        var newnj = Math.Min(njump, n - 1);
        int nleft = 0, nright = 0;
        if (len >= n)
        {
            nleft = 1;
            nright = n;
            for (var i = 1; i <= n; i += newnj)
            {
                ys[i - 1] = Estimate(y, n, len, ideg, i, out var v, nleft, nright, res, userw, rw) ? v : y[i - 1];
            }
        }
        else if (newnj == 1)
        {
            var nsh = (len + 1) / 2;
            nleft = 1;
            nright = len;
            for (var i = 1; i <= n; i++)
            {
                if (i > nsh && nright != n)
                {
                    nleft++;
                    nright++;
                }

                ys[i - 1] = Estimate(y, n, len, ideg, i, out var v, nleft, nright, res, userw, rw) ? v : y[i - 1];
            }
        }
        else
        {
            var nsh = (len + 1) / 2;
            for (var i = 1; i <= n; i += newnj)
            {
                if (i < nsh)
                {
                    nleft = 1;
                    nright = len;
                }
                else if (i >= n - nsh + 1)
                {
                    nleft = n - len + 1;
                    nright = n;
                }
                else
                {
                    nleft = i - nsh + 1;
                    nright = len + i - nsh;
                }

                ys[i - 1] = Estimate(y, n, len, ideg, i, out var v, nleft, nright, res, userw, rw) ? v : y[i - 1];
            }
        }

        if (newnj != 1)
        {
            for (var i = 1; i <= n - newnj; i += newnj)
            {
                var delta = (ys[i + newnj - 1] - ys[i - 1]) / newnj;
                for (var j = i + 1; j <= i + newnj - 1; j++)
                {
                    ys[j - 1] = ys[i - 1] + (delta * (j - i));
                }
            }

            var k = (((n - 1) / newnj) * newnj) + 1;
            if (k != n)
            {
                ys[n - 1] = Estimate(y, n, len, ideg, n, out var v, nleft, nright, res, userw, rw) ? v : y[n - 1];
                if (k != n - 1)
                {
                    var delta = (ys[n - 1] - ys[k - 1]) / (n - k);
                    for (var j = k + 1; j <= n - 1; j++)
                    {
                        ys[j - 1] = ys[k - 1] + (delta * (j - k));
                    }
                }
            }
        }
    }

    /// <summary>stlest: local (tricube-weighted, degree 0 or 1) fit at abscissa xs from points nleft..nright
    /// (1-based). False when all weights vanish.</summary>
    private static bool Estimate(Span<double> y, int n, int len, int ideg, double xs, out double ys, int nleft, int nright, Span<double> w, bool userw, Span<double> rw)
    {
        var range = n - 1.0;
        var h = Math.Max(xs - nleft, nright - xs);
        if (len > n)
        {
            h += (len - n) / 2;
        }

        var h9 = 0.999 * h;
        var h1 = 0.001 * h;
        var a = 0.0;
        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] = 0;
            var r = Math.Abs(j - xs);
            if (r <= h9)
            {
                if (r <= h1)
                {
                    w[j - 1] = 1;
                }
                else
                {
                    var u = r / h;
                    var t = 1 - (u * u * u);
                    w[j - 1] = t * t * t;
                }

                if (userw)
                {
                    w[j - 1] = rw[j - 1] * w[j - 1];
                }

                a += w[j - 1];
            }
        }

        if (a <= 0)
        {
            ys = 0;
            return false;
        }

        for (var j = nleft; j <= nright; j++)
        {
            w[j - 1] /= a;
        }

        if (h > 0 && ideg > 0)
        {
            a = 0.0;
            for (var j = nleft; j <= nright; j++)
            {
                a += w[j - 1] * j;
            }

            var b = xs - a;
            var c = 0.0;
            for (var j = nleft; j <= nright; j++)
            {
                c += w[j - 1] * (j - a) * (j - a);
            }

            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (var j = nleft; j <= nright; j++)
                {
                    w[j - 1] *= (b * (j - a)) + 1.0;
                }
            }
        }

        var s = 0.0;
        for (var j = nleft; j <= nright; j++)
        {
            s += w[j - 1] * y[j - 1];
        }

        ys = s;
        return true;
    }
}
