"""tf.contrib is gone from TF2: every import and use is reported with its replacement."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])
conv1 = tf.keras.layers.Conv2D(filters=32, kernel_size=[3, 3], padding="same", activation="relu", name="conv1")
net = conv1(images)
max_pool2d = tf.keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2, padding="valid")
net = max_pool2d(net)
flatten = tf.keras.layers.Flatten()
net = flatten(net)
fully_connected = tf.keras.layers.Dense(units=128, activation="relu", kernel_initializer=tf.keras.initializers.VarianceScaling(scale=1.0, mode="fan_avg", distribution="uniform"), name="fully_connected")
net = fully_connected(net)
layer_norm = tf.keras.layers.LayerNormalization(axis=-1, epsilon=1e-12, name="LayerNorm")
net = layer_norm(net)
regularizer = tf.contrib.layers.l2_regularizer(1e-4)
cell = tf.compat.v1.nn.rnn_cell.LSTMCell(64)
flat = tf.nest.flatten([net])  # has an exact TF2 name
