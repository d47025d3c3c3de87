# cmake -DSOURCE_DIR=<checkout> -DLAYERS=<list> -P check_layers.cmake
#
# Fails when a library folder includes a header from a folder its layer may not use. LAYERS holds
# "folder:allowed,allowed..." items (the table in the top CMakeLists.txt); a folder may always
# include its own headers, and folders outside the table (apps, bench, fuzz, tests) are not
# checked.
cmake_minimum_required(VERSION 3.25)
set(folders "")
foreach(item IN LISTS LAYERS)
  string(REPLACE ":" ";" parts "${item}")
  list(GET parts 0 folder)
  list(LENGTH parts n)
  set(allowed_${folder} ${folder})
  if(n GREATER 1)
    list(GET parts 1 uses)
    string(REPLACE "," ";" uses "${uses}")
    list(APPEND allowed_${folder} ${uses})
  endif()
  list(APPEND folders ${folder})
endforeach()

set(violations "")
foreach(folder IN LISTS folders)
  file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${folder}/*.h
       ${SOURCE_DIR}/${folder}/*.cpp ${SOURCE_DIR}/${folder}/*.in)
  foreach(source IN LISTS sources)
    file(STRINGS ${SOURCE_DIR}/${source} includes REGEX "^#include \"[a-z_]+/")
    foreach(line IN LISTS includes)
      # The folder named by the include: "web/oidc" when that is a folder, else "web".
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*" "\\1" target "${line}")
      string(REGEX REPLACE "^#include \"([a-z_]+/[a-z_]+)/.*" "\\1" nested "${line}")
      if(nested IN_LIST folders)
        set(target ${nested})
      endif()
      if(NOT target IN_LIST folders)
        continue()  # generated headers and the like
      endif()
      if(NOT target IN_LIST allowed_${folder})
        list(APPEND violations "${source}: ${line} (${folder} may use: ${allowed_${folder}})")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "includes pointing up a layer:\n  ${text}")
endif()
list(LENGTH folders count)
message(STATUS "layers: ${count} folders, no include points up")
