import tensorflow as tf
import numpy as np

# Instantiate the same Conv2D layer
conv_layer = tf.keras.layers.Conv2D(filters=32, kernel_size=3)

# Create a dummy input tensor of shape (1, 28, 28, 3) - batch of 1, 28x28 input, with 3 input channels
input_tensor = tf.constant(np.random.rand(1, 28, 28, 3), dtype=tf.float32)

# Perform a forward pass with the input tensor, triggering the variable initialization
_ = conv_layer(input_tensor)

# Check trainable variables after input
print(f"Trainable variables after input: {conv_layer.trainable_variables}")
