"""Names imported from tensorflow one by one: the imports move, the uses keep their names."""
from tensorflow import placeholder, float32, nn
from tensorflow import random_normal as gaussian
from tensorflow import layers
from tensorflow.compat import v1 as tfv1
from tensorflow.train import AdamOptimizer, Saver

inputs = placeholder(float32, [None, 8])
hidden = layers.dense(inputs, 16, activation=nn.relu)
noisy = hidden + gaussian([16])
train = AdamOptimizer(1e-3)
saver = Saver()
session = tfv1.Session()
