"""Every write of enterprises: the directory (enterprises, departments, members) and the
associations with mini programs and their visibility ranges."""
