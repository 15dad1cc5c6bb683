# Use ccache when it is installed; builds are identical either way, only faster the second time.
find_program(SLUICE_CCACHE ccache)
if(SLUICE_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER "${SLUICE_CCACHE}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${SLUICE_CCACHE}")
endif()
