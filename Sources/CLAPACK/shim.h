// Debian's liblapack-dev ships the reference LAPACK library but no C header, so the two Fortran
// routines the forecaster calls are declared here. Fortran passes every argument by reference and
// gfortran appends one hidden length argument per CHARACTER argument, which is declared too so the
// call matches the ABI exactly.
#include <stddef.h>

/// Cholesky factorisation of a symmetric positive definite matrix (column-major).
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);

/// Solves A X = B with the Cholesky factor computed by dpotrf_.
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda,
             double *b, const int *ldb, int *info, size_t uplo_len);
