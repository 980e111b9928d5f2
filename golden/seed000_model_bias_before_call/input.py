import tensorflow as tf

class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.dense_26 = tf.keras.layers.Dense(units=64, activation='relu', name='dense_26')


    def call(self, inputs):
        x = self.dense_26(inputs)
        return x

# Create model instance
model = MyModel()

# Accessing layer bias BEFORE calling the model will fail
try:
   bias = model.dense_26.bias
   print("Bias Variable (incorrect):", bias)
except AttributeError:
    print("Bias attribute does not exist until the layer is built.")

# Passing input to model builds model + layers
test_input = tf.random.normal(shape=(1, 128))
output = model(test_input)


# Now, bias is available
bias = model.dense_26.bias
print("Bias variable (correct):", bias)
print("Layer variables", model.dense_26.variables)
