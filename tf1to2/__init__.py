"""tf1to2: convert TensorFlow 1.15 graph code into Keras layers and eager TensorFlow 2 code."""
from tf1to2.engine import ConvertResult, Status, convert_source
from tf1to2.files import FileResult, convert_file
from tf1to2.tree import convert_tree

__all__ = ["ConvertResult", "FileResult", "Status", "convert_file", "convert_source", "convert_tree"]
__version__ = "0.1.0"
