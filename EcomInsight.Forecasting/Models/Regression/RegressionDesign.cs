namespace EcomInsight.Forecasting.Models;

/// <summary>
/// Builds the regressor matrix (without the intercept, which <see cref="RegressionForecaster"/> adds) for a
/// category-level demand regression: trend, season dummies by period of the cycle, flags such as holidays,
/// closures or promotions, and log-transformed regressors such as price (Hyndman &amp; Athanasopoulos,
/// <i>FPP3</i> §7.4 "Some useful predictors").
/// </summary>
/// <remarks>
/// Rows are consecutive periods; row i is period <c>FirstPeriodIndex + i</c> of the series (0-based). Build the
/// training design with <c>firstPeriodIndex = 0</c> and the future design with <c>firstPeriodIndex = n</c> and the
/// same calls, so trend and season continue past the sample. A mutable builder: not thread-safe; the matrices
/// it returns are copies.
/// </remarks>
public sealed class RegressionDesign
{
    private readonly List<string> _names = [];
    private readonly List<double[]> _columns = [];

    /// <summary>Starts an empty design of <paramref name="rows"/> periods.</summary>
    /// <param name="rows">Number of periods (≥ 1).</param>
    /// <param name="firstPeriodIndex">0-based index, within the whole series, of the first row's period (0 for the
    /// training sample, n for the forecast horizon).</param>
    /// <exception cref="ArgumentOutOfRangeException">rows &lt; 1 or firstPeriodIndex &lt; 0.</exception>
    public RegressionDesign(int rows, int firstPeriodIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPeriodIndex);
        Rows = rows;
        FirstPeriodIndex = firstPeriodIndex;
    }

    /// <summary>Number of rows (periods).</summary>
    public int Rows { get; }

    /// <summary>0-based period index of the first row.</summary>
    public int FirstPeriodIndex { get; }

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds a linear trend column whose value for period index t is t + 1 (1..n on the training sample, as
    /// R's <c>1:n</c> or <c>tslm</c>'s <c>trend</c>).</summary>
    /// <param name="name">Column name.</param>
    public RegressionDesign AddTrend(string name = "trend")
    {
        var column = new double[Rows];
        for (var i = 0; i < Rows; i++)
        {
            column[i] = FirstPeriodIndex + i + 1;
        }

        return Add(name, column);
    }

    /// <summary>
    /// Adds m − 1 season dummies <c>{prefix}1</c> … <c>{prefix}{m−1}</c>: dummy j is 1 when the period is at phase j
    /// of the cycle, phase(t) = (firstPhase + t) mod m; phase 0 is the baseline absorbed by the intercept
    /// (e.g. m = 7 with phase 0 = Monday gives day-of-week effects relative to Monday; m = 12 month-of-year).
    /// </summary>
    /// <param name="seasonLength">Cycle length m ≥ 2.</param>
    /// <param name="firstPhase">Phase of period index 0 of the series, in [0, m).</param>
    /// <param name="prefix">Column-name prefix.</param>
    /// <exception cref="ArgumentOutOfRangeException">m &lt; 2 or firstPhase outside [0, m).</exception>
    public RegressionDesign AddSeasonDummies(int seasonLength, int firstPhase = 0, string prefix = "season")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPhase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstPhase, seasonLength);
        for (var j = 1; j < seasonLength; j++)
        {
            var column = new double[Rows];
            for (var i = 0; i < Rows; i++)
            {
                column[i] = (firstPhase + FirstPeriodIndex + i) % seasonLength == j ? 1 : 0;
            }

            Add(prefix + j.ToString(System.Globalization.CultureInfo.InvariantCulture), column);
        }

        return this;
    }

    /// <summary>Adds a column as given (a holiday/closure flag, a promotion indicator, any numeric regressor).</summary>
    /// <param name="name">Column name.</param>
    /// <param name="values">One finite value per row.</param>
    /// <exception cref="ArgumentException">Wrong length, a non-finite value (named by row), or a duplicate name.</exception>
    public RegressionDesign AddColumn(string name, ReadOnlySpan<double> values)
    {
        RequireLength(name, values.Length);
        var column = values.ToArray();
        for (var i = 0; i < column.Length; i++)
        {
            if (!double.IsFinite(column[i]))
            {
                throw new ArgumentException($"Regressor '{name}' has a non-finite value at row {i}.", nameof(values));
            }
        }

        return Add(name, column);
    }

    /// <summary>Adds ln(values), e.g. log price, whose coefficient in a log-response model is the elasticity
    /// ∂ln y / ∂ln x (a 1% price rise changes demand by about β%).</summary>
    /// <param name="name">Column name, e.g. <c>log_price</c>.</param>
    /// <param name="values">Strictly positive values, one per row.</param>
    /// <exception cref="ArgumentException">Wrong length, a duplicate name, or a value ≤ 0 or non-finite (named by row).</exception>
    public RegressionDesign AddLog(string name, ReadOnlySpan<double> values)
    {
        RequireLength(name, values.Length);
        var column = new double[values.Length];
        for (var i = 0; i < column.Length; i++)
        {
            if (!(values[i] > 0) || !double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Regressor '{name}' needs positive values for its logarithm; row {i} is {values[i]}.", nameof(values));
            }

            column[i] = Math.Log(values[i]);
        }

        return Add(name, column);
    }

    /// <summary>The design as a new rows × columns array (row-major, columns in <see cref="Names"/> order).</summary>
    public double[,] ToMatrix()
    {
        var x = new double[Rows, _columns.Count];
        for (var j = 0; j < _columns.Count; j++)
        {
            var column = _columns[j];
            for (var i = 0; i < Rows; i++)
            {
                x[i, j] = column[i];
            }
        }

        return x;
    }

    private void RequireLength(string name, int length)
    {
        if (length != Rows)
        {
            throw new ArgumentException($"Regressor '{name}' has {length} values; the design has {Rows} rows.", nameof(name));
        }
    }

    private RegressionDesign Add(string name, double[] column)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_names.Contains(name))
        {
            throw new ArgumentException($"The design already has a column named '{name}'.", nameof(name));
        }

        _names.Add(name);
        _columns.Add(column);
        return this;
    }
}
