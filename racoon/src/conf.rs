//! racoon.conf(5): the parser and the configuration model.
