from fieldtui.cli import main

main()
