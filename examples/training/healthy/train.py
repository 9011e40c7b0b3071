# Minimal training entry point for the example cluster.
import model

if __name__ == '__main__':
    model.train(epochs=3)
