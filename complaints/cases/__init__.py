"""Cases: the rules of their life, who may do what, the operations that change them, the
chained case log, notifications and the hourly jobs. Plain Python, no Flask."""
