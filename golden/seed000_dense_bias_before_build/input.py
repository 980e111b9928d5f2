import tensorflow as tf

# Define the layer
dense_24 = tf.keras.layers.Dense(units=64, activation='relu', name='dense_24')

# Attempt to access the bias variable - this will result in a KeyError or empty variable list
print("Initial layer variables:", dense_24.variables)
try:
    bias = dense_24.bias
    print("Bias Variable (incorrect):", bias)
except AttributeError:
    print("Bias attribute does not exist until the layer is built.")


# Create input data to build layer implicitly
test_input = tf.random.normal(shape=(1, 128))
output = dense_24(test_input)

# Now attempt to access the bias - this will succeed
print("Variables after building:", dense_24.variables)

bias = dense_24.bias
print("Bias variable (correct):", bias)
