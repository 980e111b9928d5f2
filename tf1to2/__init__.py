"""tf1to2: convert TensorFlow 1.15 graph code into Keras layers and eager TensorFlow 2 code."""
from tf1to2.engine import ConvertResult, Status, convert_source

__all__ = ["ConvertResult", "Status", "convert_source"]
__version__ = "0.1.0"
