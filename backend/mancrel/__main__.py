from mancrel.cli import main

main()
