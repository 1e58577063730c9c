#!/usr/bin/python3
# Reference values for EcomInsight.Forecasting.Anomaly.IsolationForest from scikit-learn's IsolationForest
# (Debian python3-sklearn 1.2.1; run with /usr/bin/python3). Writes:
#   isolation_forest_points.csv  x1,x2,x3,outlier,sklearn_score  (sklearn_score = -score_samples = s(x, psi))
#   isolation_forest_cn.csv      n,c  (sklearn's _average_path_length, the paper's c(n))
# Data: 600 inliers from a correlated 3-D Gaussian plus 12 planted outliers on a shell far from it.
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length

rng = np.random.default_rng(20081215)
cov = np.array([[1.0, 0.6, 0.2], [0.6, 1.0, 0.3], [0.2, 0.3, 1.0]])
inliers = rng.multivariate_normal([10.0, 5.0, 0.0], cov, size=600)
directions = rng.normal(size=(12, 3))
directions /= np.linalg.norm(directions, axis=1, keepdims=True)
outliers = np.array([10.0, 5.0, 0.0]) + directions * rng.uniform(5.0, 7.0, size=(12, 1))
X = np.vstack([inliers, outliers])
y = np.r_[np.zeros(600, dtype=int), np.ones(12, dtype=int)]

forest = IsolationForest(n_estimators=100, max_samples=256, random_state=42).fit(X)
scores = -forest.score_samples(X)

with open("isolation_forest_points.csv", "w") as f:
    f.write("x1,x2,x3,outlier,sklearn_score\n")
    for row, label, s in zip(X, y, scores):
        f.write("%.17g,%.17g,%.17g,%d,%.17g\n" % (row[0], row[1], row[2], label, s))

with open("isolation_forest_cn.csv", "w") as f:
    f.write("n,c\n")
    ns = [0, 1, 2, 3, 4, 5, 10, 100, 256, 1000, 100000]
    for n, c in zip(ns, _average_path_length(np.array(ns))):
        f.write("%d,%.17g\n" % (n, c))
