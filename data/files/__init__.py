"""Reading the files people bring: a sheet of KPI values (CSV or XLSX, long or wide) becomes
checked rows, or a clear message naming the file, row and column. No SQL here.

- `tables`: a sheet as text cells, its size, encoding and structure checked first.
- `values_file`: the rows of a values sheet checked against the catalog and the areas.
"""

__all__ = ["tables", "values_file"]
