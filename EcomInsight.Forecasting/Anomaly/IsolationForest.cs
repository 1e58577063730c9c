namespace EcomInsight.Forecasting.Anomaly;

/// <summary>Settings of an <see cref="IsolationForest"/>.</summary>
/// <param name="Trees">Number of isolation trees t (paper: 100; path lengths converge well before).</param>
/// <param name="SubsampleSize">Subsample size ψ drawn without replacement for each tree (paper: 256). When the
/// data has fewer rows, every tree uses all of them.</param>
/// <param name="Seed">Seed of the random generator: the same seed and data give the same forest and scores.</param>
public sealed record IsolationForestOptions(int Trees = 100, int SubsampleSize = 256, ulong Seed = 20081215)
{
    /// <summary>The paper's defaults: t = 100, ψ = 256.</summary>
    public static IsolationForestOptions Default { get; } = new();
}

/// <summary>
/// Isolation forest (Liu, Ting &amp; Zhou, "Isolation Forest", ICDM 2008): anomalies are few and different, so
/// random axis-parallel splits isolate them in fewer steps than normal points. Each of t trees is grown on a
/// subsample of ψ rows (without replacement) by choosing a random attribute q and a split value p uniformly
/// between the attribute's minimum and maximum in the node, until a node holds one row, all its rows are equal,
/// or the height limit l = ⌈log2 ψ⌉ is reached. The path length h(x) of a point is the number of edges from the
/// root to the external node it falls into, plus c(size) for the unbuilt subtree of an external node that still
/// holds several rows. The anomaly score is s(x, ψ) = 2^(−E[h(x)] / c(ψ)), where
/// c(n) = 2H(n−1) − 2(n−1)/n is the average path length of an unsuccessful search in a binary search tree
/// (H(i) ≈ ln i + 0.5772156649, Euler's constant). s close to 1: anomaly; s well below 0.5: normal; all
/// s ≈ 0.5: no distinct anomaly.
/// </summary>
/// <remarks>
/// Pure and deterministic: data are rows of a row-major matrix (<c>rows × columns</c>, doubles); the random
/// generator is a seeded SplitMix64, so results do not depend on the .NET version. The attribute is drawn among
/// the attributes that are not constant in the node (as scikit-learn's extra-tree splitter does), which the paper
/// leaves open; a node where every attribute is constant is an external node. NaN is not allowed (an
/// <see cref="ArgumentException"/> names the row and column).
/// </remarks>
public sealed class IsolationForest
{
    private const double EulerGamma = 0.5772156649015329;

    // All trees' nodes in flat arrays; tree k's root is _roots[k]. Internal nodes: _feature >= 0 and children
    // in _left/_right; external nodes: _feature = -1 and _size = rows that reached it.
    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly double[] _split;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _size;
    private readonly double _normaliser;

    private IsolationForest(int columns, int subsample, int[] roots, int[] feature, double[] split, int[] left, int[] right, int[] size)
    {
        Columns = columns;
        SubsampleSize = subsample;
        _roots = roots;
        _feature = feature;
        _split = split;
        _left = left;
        _right = right;
        _size = size;
        _normaliser = AveragePathLength(subsample);
    }

    /// <summary>Number of attributes (columns) the forest was fitted on.</summary>
    public int Columns { get; }

    /// <summary>The subsample size ψ actually used (min of the option and the row count).</summary>
    public int SubsampleSize { get; }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>
    /// c(n) = 2H(n−1) − 2(n−1)/n with H(i) = ln i + γ: the average path length of an unsuccessful search in a
    /// binary search tree of n nodes (Liu, Ting &amp; Zhou 2008, eq. 1). c(n) = 0 for n ≤ 1 and 1 for n = 2
    /// (as in scikit-learn's <c>_average_path_length</c>).
    /// </summary>
    /// <param name="n">Number of points (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static double AveragePathLength(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n <= 1)
        {
            return 0;
        }
        if (n == 2)
        {
            return 1;
        }
        return (2.0 * (Math.Log(n - 1.0) + EulerGamma)) - (2.0 * (n - 1.0) / n);
    }

    /// <summary>Grows the forest on <paramref name="rows"/> × <paramref name="columns"/> data (row-major).</summary>
    /// <param name="data">Row-major values, length rows × columns, no NaN.</param>
    /// <param name="rows">Number of rows (≥ 2).</param>
    /// <param name="columns">Number of attributes (≥ 1).</param>
    /// <param name="options">Trees, subsample size, seed; <see cref="IsolationForestOptions.Default"/> when null.</param>
    /// <returns>The fitted forest.</returns>
    /// <exception cref="ArgumentException">The length does not match, fewer than 2 rows, no column, a NaN
    /// (named by row and column), or options out of range (trees or subsample below 2).</exception>
    public static IsolationForest Fit(ReadOnlySpan<double> data, int rows, int columns, IsolationForestOptions? options = null)
    {
        options ??= IsolationForestOptions.Default;
        if (columns < 1)
        {
            throw new ArgumentException("Isolation forest: need at least one column.", nameof(columns));
        }
        if (rows < 2)
        {
            throw new ArgumentException($"Isolation forest: need at least 2 rows, got {rows}.", nameof(rows));
        }
        if (data.Length != rows * columns)
        {
            throw new ArgumentException($"Isolation forest: data has {data.Length} values, expected rows × columns = {rows * columns}.", nameof(data));
        }
        if (options.Trees < 1 || options.SubsampleSize < 2)
        {
            throw new ArgumentException("Isolation forest: Trees must be ≥ 1 and SubsampleSize ≥ 2.", nameof(options));
        }
        for (var i = 0; i < data.Length; i++)
        {
            if (double.IsNaN(data[i]))
            {
                throw new ArgumentException($"Isolation forest: NaN at row {i / columns}, column {i % columns}.", nameof(data));
            }
        }

        var psi = Math.Min(options.SubsampleSize, rows);
        var heightLimit = (int)Math.Ceiling(Math.Log2(psi));
        var maxNodes = options.Trees * ((2 * psi) - 1);
        var builder = new Builder(data, columns, maxNodes, options.Seed);
        var roots = new int[options.Trees];
        var indices = new int[rows];
        var sample = new int[psi];
        for (var t = 0; t < options.Trees; t++)
        {
            // Partial Fisher-Yates: the first psi entries are a uniform sample without replacement.
            for (var i = 0; i < rows; i++)
            {
                indices[i] = i;
            }
            for (var i = 0; i < psi; i++)
            {
                var j = i + builder.NextInt(rows - i);
                (indices[i], indices[j]) = (indices[j], indices[i]);
            }
            indices.AsSpan(0, psi).CopyTo(sample);
            roots[t] = builder.Grow(sample, 0, psi, 0, heightLimit);
        }
        return new IsolationForest(columns, psi, roots,
            builder.Feature[..builder.Count], builder.Split[..builder.Count], builder.Left[..builder.Count],
            builder.Right[..builder.Count], builder.Size[..builder.Count]);
    }

    /// <summary>Mean path length E[h(x)] of one point over the trees (edges, including the c(size) adjustment).</summary>
    /// <param name="point">The point's attributes, length <see cref="Columns"/>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double MeanPathLength(ReadOnlySpan<double> point)
    {
        if (point.Length != Columns)
        {
            throw new ArgumentException($"Isolation forest: point has {point.Length} values, expected {Columns}.", nameof(point));
        }
        var total = 0.0;
        foreach (var root in _roots)
        {
            var node = root;
            var depth = 0;
            while (_feature[node] >= 0)
            {
                node = point[_feature[node]] < _split[node] ? _left[node] : _right[node];
                depth++;
            }
            total += depth + AveragePathLength(_size[node]);
        }
        return total / _roots.Length;
    }

    /// <summary>Anomaly score s(x, ψ) = 2^(−E[h(x)] / c(ψ)) in (0, 1]: near 1 anomalous, below 0.5 normal.</summary>
    /// <param name="point">The point's attributes, length <see cref="Columns"/>.</param>
    /// <exception cref="ArgumentException">Wrong length.</exception>
    public double Score(ReadOnlySpan<double> point) => Math.Pow(2.0, -MeanPathLength(point) / _normaliser);

    /// <summary>Scores every row of a row-major matrix with <see cref="Columns"/> columns.</summary>
    /// <param name="data">Row-major values.</param>
    /// <param name="scores">Receives one score per row (length = rows).</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public void ScoreAll(ReadOnlySpan<double> data, Span<double> scores)
    {
        if (data.Length != scores.Length * Columns)
        {
            throw new ArgumentException($"Isolation forest: {data.Length} values for {scores.Length} scores of {Columns} columns.", nameof(data));
        }
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] = Score(data.Slice(r * Columns, Columns));
        }
    }

    private sealed class Builder(ReadOnlySpan<double> data, int columns, int maxNodes, ulong seed)
    {
        private readonly double[] _data = data.ToArray();
        private readonly int[] _candidates = new int[columns];
        private readonly double[] _min = new double[columns];
        private readonly double[] _max = new double[columns];
        private ulong _state = seed;

        public int[] Feature { get; } = new int[maxNodes];
        public double[] Split { get; } = new double[maxNodes];
        public int[] Left { get; } = new int[maxNodes];
        public int[] Right { get; } = new int[maxNodes];
        public int[] Size { get; } = new int[maxNodes];
        public int Count { get; private set; }

        // Grows the subtree over sample[from..to) and returns its node index.
        public int Grow(int[] sample, int from, int to, int depth, int heightLimit)
        {
            var node = Count++;
            var n = to - from;
            Size[node] = n;
            Feature[node] = -1;
            if (n <= 1 || depth >= heightLimit)
            {
                return node;
            }

            // Attributes that vary in this node, with their ranges.
            var varying = 0;
            for (var c = 0; c < columns; c++)
            {
                double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (var i = from; i < to; i++)
                {
                    var v = _data[(sample[i] * columns) + c];
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
                _min[c] = lo;
                _max[c] = hi;
                if (hi > lo)
                {
                    _candidates[varying++] = c;
                }
            }
            if (varying == 0)
            {
                return node;
            }

            var q = _candidates[NextInt(varying)];
            var p = _min[q] + (NextDouble() * (_max[q] - _min[q]));
            if (p <= _min[q])
            {
                // p = min would send nothing left (x < p); nudge into (min, max].
                p = Math.BitIncrement(_min[q]);
            }

            // Partition sample[from..to) into x[q] < p, then x[q] >= p.
            var mid = from;
            for (var i = from; i < to; i++)
            {
                if (_data[(sample[i] * columns) + q] < p)
                {
                    (sample[i], sample[mid]) = (sample[mid], sample[i]);
                    mid++;
                }
            }
            Feature[node] = q;
            Split[node] = p;
            Left[node] = Grow(sample, from, mid, depth + 1, heightLimit);
            Right[node] = Grow(sample, mid, to, depth + 1, heightLimit);
            return node;
        }

        // SplitMix64 (Steele, Lea & Flood 2014): tiny, fast and stable across runtimes.
        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int NextInt(int bound) => (int)((Next() >> 33) % (ulong)bound);

        private double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
