# Our own code builds warning-free. Applies to every directory added after this file is included,
# which is why proto/ (generated code) is added before it.
add_compile_options(-Wall -Wextra -Werror)
