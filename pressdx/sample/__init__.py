"""The sample inbox: ``pressdx.sample.generator.generate`` writes what the reporting units would send."""
