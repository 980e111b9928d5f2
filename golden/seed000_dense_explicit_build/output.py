import tensorflow as tf

# Define the layer
dense_25 = tf.keras.layers.Dense(units=64, activation='relu', name='dense_25')

# Explicitly build the layer before first use.
input_shape = tf.TensorShape([None, 128]) # Define shape including batch dim
dense_25.build(input_shape)


# Now access the bias
print("Variables after manual building:", dense_25.variables)
bias = dense_25.bias
print("Bias Variable (correct):", bias)
