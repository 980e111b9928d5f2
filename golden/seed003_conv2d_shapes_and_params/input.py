import tensorflow as tf
import numpy as np

# Instantiate the Conv2D layer
conv_layer = tf.keras.layers.Conv2D(filters=64, kernel_size=(5, 5), strides=2, padding='same')

# Create a different input tensor shape, a batch size of 2 with 32x32 images of depth 1
input_tensor = tf.constant(np.random.rand(2, 32, 32, 1), dtype=tf.float32)

# Run a forward pass to trigger initialization
_ = conv_layer(input_tensor)

# Print trainable variables, shape, and number of parameters
print(f"Trainable variables: {conv_layer.trainable_variables}")
print(f"Kernel shape: {conv_layer.kernel.shape}")
print(f"Bias shape: {conv_layer.bias.shape}")

# Calculate total number of parameters. Kernel =  (5 * 5 * input_depth * output_depth). Bias = output_depth
num_params_kernel = 5 * 5 * 1 * 64
num_params_bias = 64
total_params = num_params_kernel + num_params_bias
print(f"Total parameters: {total_params}")
