# Reference values for EcomInsight's Arima, AutoArima, Stl and StlForecast from R's forecast package.
# Run from the repository root:  Rscript EcomInsight.Tests/Forecasting/Reference/arima_reference.R
# Writes arima_reference.csv and stl_reference.csv next to this script (long format: case,field,i,value).
# Only R's OUTPUT is committed; the real SKU series are read from ../shared at run time and never written.
suppressPackageStartupMessages(library(forecast))
out_dir <- "EcomInsight.Tests/Forecasting/Reference"
rows <- list()
emit <- function(case, field, values) {
  values <- as.numeric(values)
  if (length(values) == 0) return(invisible(NULL))
  rows[[length(rows) + 1]] <<- data.frame(case = case, field = field, i = seq_along(values) - 1L,
                                         value = sprintf("%.10g", values), stringsAsFactors = FALSE)
}
emit_fit <- function(case, fit, h) {
  emit(case, "order", arimaorder(fit))                 # p d q [P D Q m]
  emit(case, "constant", as.integer(any(names(coef(fit)) %in% c("intercept", "drift"))))
  emit(case, "coef", coef(fit))
  emit(case, "se", sqrt(diag(fit$var.coef)))
  emit(case, "sigma2", fit$sigma2)
  emit(case, "loglik", fit$loglik)
  emit(case, "aicc", fit$aicc)
  fc <- forecast(fit, h = h, level = c(80, 95))
  emit(case, "mean", fc$mean)
  emit(case, "lo80", fc$lower[, 1]); emit(case, "hi80", fc$upper[, 1])
  emit(case, "lo95", fc$lower[, 2]); emit(case, "hi95", fc$upper[, 2])
}

# Classic series: auto.arima with defaults (no Box-Cox).
classic <- list(WWWusage = WWWusage, lh = lh, LakeHuron = LakeHuron, USAccDeaths = USAccDeaths,
                AirPassengers = AirPassengers, Nile = Nile, nottem = nottem)
for (nm in names(classic)) {
  x <- classic[[nm]]
  emit(paste0("auto_", nm), "y", x)
  emit(paste0("auto_", nm), "m", frequency(x))
  emit_fit(paste0("auto_", nm), auto.arima(x), 2 * max(frequency(x), 5))
}

# Fixed orders for coefficient comparison.
fixed <- list(
  list("fixed_LakeHuron_200_mean", LakeHuron, c(2, 0, 0), c(0, 0, 0), TRUE),
  list("fixed_WWWusage_111", WWWusage, c(1, 1, 1), c(0, 0, 0), FALSE),
  list("fixed_WWWusage_110_drift", WWWusage, c(1, 1, 0), c(0, 0, 0), TRUE),
  list("fixed_lh_102_mean", lh, c(1, 0, 2), c(0, 0, 0), TRUE),
  list("fixed_USAccDeaths_011_011", USAccDeaths, c(0, 1, 1), c(0, 1, 1), FALSE),
  list("fixed_AirPassengers_210_010", AirPassengers, c(2, 1, 0), c(0, 1, 0), FALSE),
  list("fixed_nottem_100_210", nottem, c(1, 0, 0), c(2, 1, 0), FALSE),
  list("fixed_Nile_011", Nile, c(0, 1, 1), c(0, 0, 0), FALSE))
for (f in fixed) {
  x <- f[[2]]
  fit <- Arima(x, order = f[[3]], seasonal = f[[4]], include.constant = f[[5]])
  emit(f[[1]], "y", x)
  emit(f[[1]], "m", frequency(x))
  emit(f[[1]], "include_constant", as.integer(f[[5]]))
  emit_fit(f[[1]], fit, 12)
}

# Real weekly SKUs: every 137th series in string order of series_id (20 series), n = 44, non-seasonal.
train_path <- "../shared/eval/retail-weekly/train.csv.gz"
if (file.exists(train_path)) {
  tr <- read.csv(gzfile(train_path), colClasses = c("character", "character", "numeric"))
  ids <- sort(unique(tr$series_id))
  pick <- ids[seq(1, by = 137, length.out = 20)]
  for (id in pick) {
    x <- ts(tr$y[tr$series_id == id], frequency = 1)
    case <- paste0("sku_", id)
    fit <- auto.arima(x)
    emit(case, "order", arimaorder(fit))
    emit(case, "constant", as.integer(any(names(coef(fit)) %in% c("intercept", "drift"))))
    emit(case, "aicc", fit$aicc)
    fc <- forecast(fit, h = 8, level = c(80, 95))
    emit(case, "mean", fc$mean)
    emit(case, "lo80", fc$lower[, 1]); emit(case, "hi80", fc$upper[, 1])
  }
}
# Real daily SKUs (n = 345, m = 7, shop closed on Saturdays): every 25th series in string order (20 series).
# n > 150, so auto.arima searches with the CSS approximation and refits the winner by exact ML.
daily_path <- "../shared/eval/retail-daily/train.csv.gz"
if (file.exists(daily_path)) {
  trd <- read.csv(gzfile(daily_path), colClasses = c("character", "character", "numeric"))
  ids <- sort(unique(trd$series_id))
  for (id in ids[seq(1, by = 25, length.out = 20)]) {
    x <- ts(trd$y[trd$series_id == id], frequency = 7)
    case <- paste0("daily_", id)
    fit <- auto.arima(x)
    o <- arimaorder(fit)
    if (length(o) == 3) o <- c(o, 0, 0, 0, 7)
    emit(case, "order", o)
    emit(case, "constant", as.integer(any(names(coef(fit)) %in% c("intercept", "drift"))))
    emit(case, "aicc", fit$aicc)
    emit(case, "mean", forecast(fit, h = 28)$mean)
  }
}
write.csv(do.call(rbind, rows), file.path(out_dir, "arima_reference.csv"), row.names = FALSE, quote = FALSE)

# STL components and stlf forecasts.
rows <- list()
stl_cases <- list(
  list("stl_nottem_periodic", nottem, "periodic", FALSE),
  list("stl_USAccDeaths_7", USAccDeaths, 7, FALSE),
  list("stl_co2_periodic_robust", co2, "periodic", TRUE),
  list("stl_AirPassengers_13_robust", AirPassengers, 13, TRUE))
for (s in stl_cases) {
  fit <- stl(s[[2]], s.window = s[[3]], robust = s[[4]])
  emit(s[[1]], "y", s[[2]])
  emit(s[[1]], "m", frequency(s[[2]]))
  emit(s[[1]], "s_window", if (is.character(s[[3]])) 0 else s[[3]])
  emit(s[[1]], "robust", as.integer(s[[4]]))
  emit(s[[1]], "seasonal", fit$time.series[, "seasonal"])
  emit(s[[1]], "trend", fit$time.series[, "trend"])
  emit(s[[1]], "remainder", fit$time.series[, "remainder"])
}
for (nm in c("USAccDeaths", "nottem")) {
  x <- get(nm)
  fc <- stlf(x, h = 24, method = "arima", level = c(80, 95))
  case <- paste0("stlf_arima_", nm)
  emit(case, "y", x)
  emit(case, "m", frequency(x))
  emit(case, "order", arimaorder(fc$model))
  emit(case, "mean", fc$mean)
  emit(case, "lo80", fc$lower[, 1]); emit(case, "hi80", fc$upper[, 1])
  emit(case, "lo95", fc$lower[, 2]); emit(case, "hi95", fc$upper[, 2])
  emit(paste0("seas_", nm), "strength", forecast:::seas.heuristic(x))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "stl_reference.csv"), row.names = FALSE, quote = FALSE)
