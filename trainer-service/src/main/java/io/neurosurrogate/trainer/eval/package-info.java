/** Scoring full-length predictions on held-out simulations: spike AUC, hit rates, soma RMSE, variance explained. */
package io.neurosurrogate.trainer.eval;
