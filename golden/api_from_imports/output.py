"""Names imported from tensorflow one by one: the imports move, the uses keep their names."""
from tensorflow.compat.v1 import placeholder
from tensorflow import float32, nn
from tensorflow.random import normal as gaussian
from tensorflow.compat.v1 import layers
import tensorflow as tfv1
from tensorflow.compat.v1.train import AdamOptimizer, Saver

tfv1.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
inputs = placeholder(float32, [None, 8])
dense = tfv1.keras.layers.Dense(units=16, activation=nn.relu, name="dense")
hidden = dense(inputs)
noisy = hidden + gaussian([16])
train = AdamOptimizer(1e-3)
saver = Saver()
session = tfv1.compat.v1.Session()
