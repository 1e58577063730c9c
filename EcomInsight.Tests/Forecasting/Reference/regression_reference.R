# Reference values for RegressionForecaster: R's lm() on a synthetic daily category series with trend,
# day-of-week dummies, a holiday/closure flag, log price and a promotion flag.
#
#   Rscript EcomInsight.Tests/Forecasting/Reference/regression_reference.R   (from the repository root)
#
# The data set is generated here with a fixed seed and committed (regression_dataset.csv) because it is
# synthetic. Outputs: coefficients with SE/t/p (regression_coefficients.csv), sigma/R²/df
# (regression_summary.csv) and predict.lm(interval = "prediction") at 80% and 95% for the 14 future rows
# (regression_predictions.csv), for two fits: the log-log model log(y) ~ ... (whose log_price coefficient
# is the price elasticity) and the linear model y ~ ... .
out_dir <- "EcomInsight.Tests/Forecasting/Reference"
set.seed(42)
n <- 140
h <- 14
N <- n + h
t <- 1:N
# The first day is a Wednesday-like phase 2 of a 7-day cycle, so dummies do not line up with row 1.
phase <- (t - 1 + 2) %% 7
holiday <- as.integer(t %in% c(25, 26, 60, 100, 101, 147))
price <- round(10 * exp(cumsum(rnorm(N, 0, 0.03))), 2)
promo <- rbinom(N, 1, 0.15)
dow_effect <- c(0, 0.10, 0.15, 0.20, 0.35, -0.40, -0.60)
log_mu <- 4 + 0.003 * t + dow_effect[phase + 1] - 0.8 * holiday - 1.7 * log(price) + 0.35 * promo
y <- round(exp(log_mu + rnorm(N, 0, 0.15)), 3)
y[(n + 1):N] <- NA
d <- data.frame(t = t - 1, phase = phase, holiday = holiday, price = price, promo = promo, y = y)
write.csv(d, file.path(out_dir, "regression_dataset.csv"), row.names = FALSE, quote = FALSE, na = "NA")

# Columns exactly as RegressionDesign builds them: trend = 1..n, season1..season6 = phase dummies.
X <- data.frame(trend = t)
for (j in 1:6) X[[paste0("season", j)]] <- as.integer(phase == j)
X$holiday <- holiday
X$log_price <- log(price)
X$promo <- promo
train <- X[1:n, ]
future <- X[(n + 1):N, ]
rhs <- paste(names(X), collapse = " + ")

coef_rows <- list()
summary_rows <- list()
pred_rows <- list()
for (model in c("loglog", "linear")) {
  train$response <- if (model == "loglog") log(y[1:n]) else y[1:n]
  fit <- lm(as.formula(paste("response ~", rhs)), data = train)
  s <- summary(fit)
  cf <- s$coefficients
  coef_rows[[model]] <- data.frame(model = model, term = rownames(cf),
    estimate = sprintf("%.15g", cf[, 1]), se = sprintf("%.15g", cf[, 2]),
    t = sprintf("%.15g", cf[, 3]), p = sprintf("%.15g", cf[, 4]))
  summary_rows[[model]] <- data.frame(model = model, sigma = sprintf("%.15g", s$sigma),
    r2 = sprintf("%.15g", s$r.squared), adj_r2 = sprintf("%.15g", s$adj.r.squared), df = fit$df.residual)
  for (level in c(0.8, 0.95)) {
    p <- predict(fit, newdata = future, interval = "prediction", level = level, se.fit = TRUE)
    pred_rows[[paste(model, level)]] <- data.frame(model = model, row = 0:(h - 1), level = level * 100,
      fit = sprintf("%.15g", p$fit[, "fit"]), lwr = sprintf("%.15g", p$fit[, "lwr"]),
      upr = sprintf("%.15g", p$fit[, "upr"]), se_fit = sprintf("%.15g", p$se.fit))
  }
}
write.csv(do.call(rbind, coef_rows), file.path(out_dir, "regression_coefficients.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, summary_rows), file.path(out_dir, "regression_summary.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, pred_rows), file.path(out_dir, "regression_predictions.csv"), row.names = FALSE, quote = FALSE)
print(summary(fit))
