//! The setkey -D / -DP text format, shared by setkey and racoonctl.
