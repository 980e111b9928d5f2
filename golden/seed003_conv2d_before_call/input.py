import tensorflow as tf

# Instantiate a Conv2D layer with 32 filters and a 3x3 kernel
conv_layer = tf.keras.layers.Conv2D(filters=32, kernel_size=3)

# Check trainable variables immediately
print(f"Trainable variables before input: {conv_layer.trainable_variables}")
