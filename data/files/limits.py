"""The limits of a values file and the sizes the readers work in.

Each limit is refused with a message naming it, before the whole file is read. The readers
read these constants from this module when they run (`limits.MAX_ROWS`), never copy them at
import, so a test or a caller can lower one here.
"""

HEADER_SEARCH_ROWS = 10  # rows looked at for the header (title rows may stand above it)
MAX_ERROR_LINES = 200  # problems listed in a ValueImportError's message

# ---- limits: each refused with a message naming it, before the whole file is read
MAX_FILE_BYTES = 512 * 1024 * 1024  # a CSV or XLSX file as stored
MAX_CELL_CHARS = 4_000  # characters in one cell (Excel itself allows 32,767)
MAX_COLUMNS = 2_000  # columns of a sheet
MAX_ROWS = 5_000_000  # data rows below the header
MAX_XLSX_SHEET_BYTES = 2 * 1024 * 1024 * 1024  # a worksheet's XML, unpacked (it is streamed)
MAX_XLSX_PART_BYTES = 256 * 1024 * 1024  # any other part of a workbook, unpacked (read whole)
MAX_LINE_CHARS = MAX_COLUMNS * (2 * MAX_CELL_CHARS + 3)  # the longest CSV line within the limits (quotes doubled)
MAX_STRUCTURE_ERRORS = 1_000  # rows with a wrong cell count listed before reading stops

# ---- how much is read at a time
CSV_CHUNK_ROWS = 250_000
SAMPLE_LINE_CHARS = 1 << 20  # characters of a line looked at to choose the separator
BLOCK_BYTES = 1 << 20
